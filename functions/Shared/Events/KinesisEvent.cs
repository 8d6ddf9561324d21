using System.Text.Json.Serialization;

namespace Pipelines.Shared.Events;

/// <summary>What Lambda sends for a Kinesis event source mapping (mirrors Amazon.Lambda.KinesisEvents).</summary>
public sealed class KinesisEvent
{
    [JsonPropertyName("Records")]
    public List<KinesisEventRecord> Records { get; set => field = value ?? []; } = [];
}

public sealed class KinesisEventRecord
{
    [JsonPropertyName("kinesis")]
    public KinesisRecord Kinesis { get; set => field = value ?? new(); } = new();

    [JsonPropertyName("eventSource")]
    public string EventSource { get; set => field = value ?? ""; } = "";

    [JsonPropertyName("eventVersion")]
    public string EventVersion { get; set => field = value ?? ""; } = "";

    /// <summary>"shardId-000000000000:&lt;sequence number&gt;".</summary>
    [JsonPropertyName("eventID")]
    public string EventId { get; set => field = value ?? ""; } = "";

    [JsonPropertyName("eventName")]
    public string EventName { get; set => field = value ?? ""; } = "";

    [JsonPropertyName("invokeIdentityArn")]
    public string InvokeIdentityArn { get; set => field = value ?? ""; } = "";

    [JsonPropertyName("awsRegion")]
    public string AwsRegion { get; set => field = value ?? ""; } = "";

    [JsonPropertyName("eventSourceARN")]
    public string EventSourceArn { get; set => field = value ?? ""; } = "";

    /// <summary>The shard id part of <see cref="EventId"/> ("" when the id has no shard prefix).</summary>
    [JsonIgnore]
    public string ShardId
    {
        get
        {
            var colon = EventId.IndexOf(':', StringComparison.Ordinal);
            return colon > 0 ? EventId[..colon] : "";
        }
    }
}

public sealed class KinesisRecord
{
    [JsonPropertyName("kinesisSchemaVersion")]
    public string KinesisSchemaVersion { get; set => field = value ?? ""; } = "";

    [JsonPropertyName("partitionKey")]
    public string PartitionKey { get; set => field = value ?? ""; } = "";

    [JsonPropertyName("sequenceNumber")]
    public string SequenceNumber { get; set => field = value ?? ""; } = "";

    /// <summary>The record payload, base64 as on the wire; decode with <see cref="TryDecodeData"/>.</summary>
    [JsonPropertyName("data")]
    public string Data { get; set => field = value ?? ""; } = "";

    /// <summary>Epoch seconds with a fractional part (milliseconds), as Kinesis sends it.</summary>
    [JsonPropertyName("approximateArrivalTimestamp")]
    public double ApproximateArrivalTimestamp { get; set; }

    [JsonPropertyName("encryptionType")]
    public string? EncryptionType { get; set; }

    [JsonIgnore]
    public DateTimeOffset ApproximateArrivalTime =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(ApproximateArrivalTimestamp * 1000d));

    /// <summary>Decodes <see cref="Data"/>; false (never an exception) when it is not valid base64.</summary>
    public bool TryDecodeData(out byte[] data) => Base64Data.TryDecode(Data, out data);
}

using System.Text.Json.Serialization;

namespace Pipelines.Shared.Events;

/// <summary>The Firehose data-transformation request (mirrors Amazon.Lambda.KinesisFirehoseEvents).</summary>
public sealed class KinesisFirehoseEvent
{
    [JsonPropertyName("invocationId")]
    public string InvocationId { get; set => field = value ?? ""; } = "";

    [JsonPropertyName("deliveryStreamArn")]
    public string DeliveryStreamArn { get; set => field = value ?? ""; } = "";

    /// <summary>Set when the delivery stream reads from a Kinesis data stream.</summary>
    [JsonPropertyName("sourceKinesisStreamArn")]
    public string? SourceKinesisStreamArn { get; set; }

    [JsonPropertyName("region")]
    public string Region { get; set => field = value ?? ""; } = "";

    [JsonPropertyName("records")]
    public List<FirehoseRecord> Records { get; set => field = value ?? []; } = [];
}

public sealed class FirehoseRecord
{
    [JsonPropertyName("recordId")]
    public string RecordId { get; set => field = value ?? ""; } = "";

    /// <summary>Epoch milliseconds (unlike Kinesis event records, which use seconds).</summary>
    [JsonPropertyName("approximateArrivalTimestamp")]
    [JsonConverter(typeof(LenientEpochMillisecondsConverter))]
    public long ApproximateArrivalTimestamp { get; set; }

    /// <summary>Base64 as on the wire.</summary>
    [JsonPropertyName("data")]
    public string Data { get; set => field = value ?? ""; } = "";

    [JsonPropertyName("kinesisRecordMetadata")]
    public FirehoseKinesisRecordMetadata? KinesisRecordMetadata { get; set; }

    [JsonIgnore]
    public DateTimeOffset ApproximateArrivalTime => DateTimeOffset.FromUnixTimeMilliseconds(ApproximateArrivalTimestamp);

    public bool TryDecodeData(out byte[] data) => Base64Data.TryDecode(Data, out data);
}

/// <summary>Where a record came from when the delivery stream's source is a Kinesis data stream.</summary>
public sealed class FirehoseKinesisRecordMetadata
{
    [JsonPropertyName("shardId")]
    public string? ShardId { get; set; }

    [JsonPropertyName("partitionKey")]
    public string? PartitionKey { get; set; }

    /// <summary>Epoch milliseconds; published samples also show it as a numeric or ISO-8601 string, both accepted.</summary>
    [JsonPropertyName("approximateArrivalTimestamp")]
    [JsonConverter(typeof(LenientEpochMillisecondsConverter))]
    public long ApproximateArrivalTimestamp { get; set; }

    [JsonPropertyName("sequenceNumber")]
    public string? SequenceNumber { get; set; }

    /// <summary>Sub-sequence of a de-aggregated (KPL) record; sent as a number or as "" when there is none.</summary>
    [JsonPropertyName("subsequenceNumber")]
    [JsonConverter(typeof(LenientStringConverter))]
    public string? SubsequenceNumber { get; set; }
}

/// <summary>The transformation response Firehose expects back: one record per input record, same recordId.</summary>
public sealed class KinesisFirehoseResponse
{
    [JsonPropertyName("records")]
    public List<FirehoseResponseRecord> Records { get; set => field = value ?? []; } = [];
}

public sealed class FirehoseResponseRecord
{
    public const string Ok = "Ok";
    public const string Dropped = "Dropped";
    public const string ProcessingFailed = "ProcessingFailed";

    [JsonPropertyName("recordId")]
    public string RecordId { get; set => field = value ?? ""; } = "";

    /// <summary><see cref="Ok"/>, <see cref="Dropped"/> or <see cref="ProcessingFailed"/>.</summary>
    [JsonPropertyName("result")]
    public string Result { get; set => field = value ?? ""; } = "";

    /// <summary>Base64 of the transformed payload.</summary>
    [JsonPropertyName("data")]
    public string Data { get; set => field = value ?? ""; } = "";

    /// <summary>Dynamic-partitioning keys (used by <c>!{partitionKeyFromLambda:...}</c> prefixes).</summary>
    [JsonPropertyName("metadata")]
    public FirehoseResponseMetadata? Metadata { get; set; }
}

public sealed class FirehoseResponseMetadata
{
    [JsonPropertyName("partitionKeys")]
    public Dictionary<string, string> PartitionKeys { get; set => field = value ?? []; } = [];
}

using System.Text.Json.Serialization;

namespace Pipelines.Shared.Events;

/// <summary>
/// The message S3 delivers to SQS (or SNS/Lambda) for bucket notifications: either <see cref="Records"/> or,
/// right after a notification configuration is saved, a one-off <c>s3:TestEvent</c> with the flat fields below.
/// </summary>
public sealed class S3EventNotification
{
    [JsonPropertyName("Records")]
    public List<S3EventRecord>? Records { get; set; }

    /// <summary>Test event only: "Amazon S3".</summary>
    [JsonPropertyName("Service")]
    public string? Service { get; set; }

    /// <summary>Test event only: "s3:TestEvent".</summary>
    [JsonPropertyName("Event")]
    public string? Event { get; set; }

    [JsonPropertyName("Time")]
    public DateTimeOffset? Time { get; set; }

    [JsonPropertyName("Bucket")]
    public string? Bucket { get; set; }

    [JsonPropertyName("RequestId")]
    public string? RequestId { get; set; }

    [JsonPropertyName("HostId")]
    public string? HostId { get; set; }

    public const string TestEventName = "s3:TestEvent";

    /// <summary>True for the configuration test message, which carries no object and should just be acknowledged.</summary>
    [JsonIgnore]
    public bool IsTestEvent => string.Equals(Event, TestEventName, StringComparison.Ordinal);
}

public sealed class S3EventRecord
{
    [JsonPropertyName("eventVersion")]
    public string EventVersion { get; set => field = value ?? ""; } = "";

    [JsonPropertyName("eventSource")]
    public string EventSource { get; set => field = value ?? ""; } = "";

    [JsonPropertyName("awsRegion")]
    public string AwsRegion { get; set => field = value ?? ""; } = "";

    [JsonPropertyName("eventTime")]
    public DateTimeOffset EventTime { get; set; }

    /// <summary>For example "ObjectCreated:Put" (no "s3:" prefix on the wire).</summary>
    [JsonPropertyName("eventName")]
    public string EventName { get; set => field = value ?? ""; } = "";

    [JsonPropertyName("userIdentity")]
    public S3UserIdentity? UserIdentity { get; set; }

    [JsonPropertyName("requestParameters")]
    public S3RequestParameters? RequestParameters { get; set; }

    [JsonPropertyName("responseElements")]
    public Dictionary<string, string>? ResponseElements { get; set; }

    [JsonPropertyName("s3")]
    public S3Entity S3 { get; set => field = value ?? new(); } = new();
}

public sealed class S3UserIdentity
{
    [JsonPropertyName("principalId")]
    public string? PrincipalId { get; set; }
}

public sealed class S3RequestParameters
{
    [JsonPropertyName("sourceIPAddress")]
    public string? SourceIpAddress { get; set; }
}

public sealed class S3Entity
{
    [JsonPropertyName("s3SchemaVersion")]
    public string? S3SchemaVersion { get; set; }

    [JsonPropertyName("configurationId")]
    public string? ConfigurationId { get; set; }

    [JsonPropertyName("bucket")]
    public S3BucketEntity Bucket { get; set => field = value ?? new(); } = new();

    [JsonPropertyName("object")]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "Mirrors Amazon.Lambda.S3Events (S3Entity.Object) so the official package can replace this.")]
    public S3ObjectEntity Object { get; set => field = value ?? new(); } = new();
}

public sealed class S3BucketEntity
{
    [JsonPropertyName("name")]
    public string Name { get; set => field = value ?? ""; } = "";

    [JsonPropertyName("ownerIdentity")]
    public S3UserIdentity? OwnerIdentity { get; set; }

    [JsonPropertyName("arn")]
    public string Arn { get; set => field = value ?? ""; } = "";
}

public sealed class S3ObjectEntity
{
    /// <summary>The key exactly as S3 sent it: URL-encoded, '+' for a space. Use <see cref="DecodedKey"/> for S3 calls.</summary>
    [JsonPropertyName("key")]
    public string Key { get; set => field = value ?? ""; } = "";

    /// <summary>Absent for delete events.</summary>
    [JsonPropertyName("size")]
    public long? Size { get; set; }

    [JsonPropertyName("eTag")]
    public string? ETag { get; set; }

    [JsonPropertyName("versionId")]
    public string? VersionId { get; set; }

    /// <summary>Hex string that orders events for the same key (compare after left-padding to equal length).</summary>
    [JsonPropertyName("sequencer")]
    public string? Sequencer { get; set; }

    [JsonIgnore]
    public string DecodedKey => S3KeyDecoder.Decode(Key);
}

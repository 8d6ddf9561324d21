using System.Text.Json.Serialization;

namespace Pipelines.Shared.Events;

/// <summary>What Lambda sends for a DynamoDB Streams event source mapping (mirrors Amazon.Lambda.DynamoDBEvents).</summary>
public sealed class DynamoDBEvent
{
    [JsonPropertyName("Records")]
    public List<DynamoDBStreamRecord> Records { get; set => field = value ?? []; } = [];
}

public sealed class DynamoDBStreamRecord
{
    [JsonPropertyName("eventID")]
    public string EventId { get; set => field = value ?? ""; } = "";

    /// <summary>INSERT, MODIFY or REMOVE.</summary>
    [JsonPropertyName("eventName")]
    public string EventName { get; set => field = value ?? ""; } = "";

    [JsonPropertyName("eventVersion")]
    public string EventVersion { get; set => field = value ?? ""; } = "";

    [JsonPropertyName("eventSource")]
    public string EventSource { get; set => field = value ?? ""; } = "";

    [JsonPropertyName("awsRegion")]
    public string AwsRegion { get; set => field = value ?? ""; } = "";

    [JsonPropertyName("eventSourceARN")]
    public string EventSourceArn { get; set => field = value ?? ""; } = "";

    /// <summary>Set for deletes made by TTL: Type "Service", PrincipalId "dynamodb.amazonaws.com".</summary>
    [JsonPropertyName("userIdentity")]
    public StreamIdentity? UserIdentity { get; set; }

    [JsonPropertyName("dynamodb")]
    public StreamRecord Dynamodb { get; set => field = value ?? new(); } = new();

    public const string Insert = "INSERT";
    public const string Modify = "MODIFY";
    public const string Remove = "REMOVE";
}

public sealed class StreamIdentity
{
    [JsonPropertyName("type")]
    public string? Type { get; set; }

    [JsonPropertyName("principalId")]
    public string? PrincipalId { get; set; }

    [JsonIgnore]
    public bool IsTimeToLiveDelete =>
        string.Equals(Type, "Service", StringComparison.Ordinal) &&
        string.Equals(PrincipalId, "dynamodb.amazonaws.com", StringComparison.Ordinal);
}

public sealed class StreamRecord
{
    /// <summary>
    /// Epoch seconds. Some producers (Kinesis Data Streams for DynamoDB, older samples) send milliseconds;
    /// any value above 1e11 (year 5138 in seconds) is taken as milliseconds and normalised to seconds.
    /// </summary>
    [JsonPropertyName("ApproximateCreationDateTime")]
    public double? ApproximateCreationDateTime
    {
        get;
        set => field = value > 1e11 ? value / 1000d : value;
    }

    [JsonPropertyName("Keys")]
    public Dictionary<string, AttributeValue>? Keys { get; set; }

    [JsonPropertyName("NewImage")]
    public Dictionary<string, AttributeValue>? NewImage { get; set; }

    [JsonPropertyName("OldImage")]
    public Dictionary<string, AttributeValue>? OldImage { get; set; }

    [JsonPropertyName("SequenceNumber")]
    public string SequenceNumber { get; set => field = value ?? ""; } = "";

    [JsonPropertyName("SizeBytes")]
    public long SizeBytes { get; set; }

    /// <summary>KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES.</summary>
    [JsonPropertyName("StreamViewType")]
    public string StreamViewType { get; set => field = value ?? ""; } = "";

    [JsonIgnore]
    public DateTimeOffset? ApproximateCreationTime => ApproximateCreationDateTime is { } s
        ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(s * 1000d))
        : null;
}

/// <summary>DynamoDB's typed attribute JSON: exactly one of the members is set.</summary>
public sealed class AttributeValue
{
    [JsonPropertyName("S")]
    public string? S { get; set; }

    /// <summary>Numbers travel as strings to keep their precision.</summary>
    [JsonPropertyName("N")]
    public string? N { get; set; }

    /// <summary>Base64 as on the wire.</summary>
    [JsonPropertyName("B")]
    public string? B { get; set; }

    [JsonPropertyName("BOOL")]
    public bool? BOOL { get; set; }

    [JsonPropertyName("NULL")]
    public bool? NULL { get; set; }

    [JsonPropertyName("M")]
    public Dictionary<string, AttributeValue>? M { get; set; }

    [JsonPropertyName("L")]
    public List<AttributeValue>? L { get; set; }

    [JsonPropertyName("SS")]
    public List<string>? SS { get; set; }

    [JsonPropertyName("NS")]
    public List<string>? NS { get; set; }

    [JsonPropertyName("BS")]
    public List<string>? BS { get; set; }

    public static AttributeValue FromString(string value) => new() { S = value };
    public static AttributeValue FromNumber(string value) => new() { N = value };
}

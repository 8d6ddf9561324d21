using System.Text.Json.Serialization;

namespace Pipelines.Shared.Events;

/// <summary>What Lambda sends for an SQS event source mapping (mirrors Amazon.Lambda.SQSEvents).</summary>
public sealed class SqsEvent
{
    [JsonPropertyName("Records")]
    public List<SqsMessage> Records { get; set => field = value ?? []; } = [];
}

public sealed class SqsMessage
{
    [JsonPropertyName("messageId")]
    public string MessageId { get; set => field = value ?? ""; } = "";

    [JsonPropertyName("receiptHandle")]
    public string ReceiptHandle { get; set => field = value ?? ""; } = "";

    [JsonPropertyName("body")]
    public string Body { get; set => field = value ?? ""; } = "";

    [JsonPropertyName("md5OfBody")]
    public string Md5OfBody { get; set => field = value ?? ""; } = "";

    [JsonPropertyName("md5OfMessageAttributes")]
    public string? Md5OfMessageAttributes { get; set; }

    [JsonPropertyName("eventSource")]
    public string EventSource { get; set => field = value ?? ""; } = "";

    [JsonPropertyName("eventSourceARN")]
    public string EventSourceArn { get; set => field = value ?? ""; } = "";

    [JsonPropertyName("awsRegion")]
    public string AwsRegion { get; set => field = value ?? ""; } = "";

    /// <summary>System attributes: ApproximateReceiveCount, SentTimestamp, SenderId, ApproximateFirstReceiveTimestamp, ...</summary>
    [JsonPropertyName("attributes")]
    public Dictionary<string, string> Attributes { get; set => field = value ?? []; } = [];

    [JsonPropertyName("messageAttributes")]
    public Dictionary<string, SqsMessageAttribute> MessageAttributes { get; set => field = value ?? []; } = [];

    /// <summary>ApproximateReceiveCount as a number (0 when absent or not a number).</summary>
    [JsonIgnore]
    public int ApproximateReceiveCount =>
        Attributes.TryGetValue("ApproximateReceiveCount", out var raw) &&
        int.TryParse(raw, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n
            : 0;
}

[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "Mirrors Amazon.Lambda.SQSEvents naming; it is an SQS message attribute, not a .NET attribute.")]
public sealed class SqsMessageAttribute
{
    [JsonPropertyName("stringValue")]
    public string? StringValue { get; set; }

    /// <summary>Base64 as on the wire.</summary>
    [JsonPropertyName("binaryValue")]
    public string? BinaryValue { get; set; }

    [JsonPropertyName("stringListValues")]
    public List<string>? StringListValues { get; set; }

    [JsonPropertyName("binaryListValues")]
    public List<string>? BinaryListValues { get; set; }

    /// <summary>String, Number, Binary, optionally with a custom suffix ("Number.int").</summary>
    [JsonPropertyName("dataType")]
    public string DataType { get; set => field = value ?? ""; } = "";
}

namespace Pipelines.Shared.Aws;

/// <summary>A message attribute value as the SQS JSON API carries it (DataType String, Number or Binary).</summary>
public sealed class SqsAttributeValue
{
    public string DataType { get; set; } = "String";

    public string? StringValue { get; set; }

    /// <summary>Raw bytes (base64 on the wire).</summary>
    public byte[]? BinaryValue { get; set; }

    public static SqsAttributeValue FromString(string value) => new() { DataType = "String", StringValue = value };

    public static SqsAttributeValue FromNumber(string value) => new() { DataType = "Number", StringValue = value };
}

/// <summary>A message to send in a batch; <see cref="Id"/> is unique within the batch and comes back in the result.</summary>
public sealed record SqsSendEntry(
    string Id,
    string MessageBody,
    int? DelaySeconds = null,
    IReadOnlyDictionary<string, SqsAttributeValue>? MessageAttributes = null,
    string? MessageGroupId = null,
    string? MessageDeduplicationId = null);

/// <summary>A receipt handle to delete in a batch.</summary>
public sealed record SqsDeleteEntry(string Id, string ReceiptHandle);

public sealed class SqsSendResult
{
    public string MessageId { get; set; } = "";

    public string? MD5OfMessageBody { get; set; }

    public string? MD5OfMessageAttributes { get; set; }

    public string? SequenceNumber { get; set; }
}

public sealed class SqsBatchResultEntry
{
    public string Id { get; set; } = "";

    public string? MessageId { get; set; }

    public string? MD5OfMessageBody { get; set; }
}

public sealed class SqsBatchFailure
{
    public string Id { get; set; } = "";

    public bool SenderFault { get; set; }

    public string Code { get; set; } = "";

    public string? Message { get; set; }
}

/// <summary>SendMessageBatch/DeleteMessageBatch answer: the call succeeds even when some entries failed.</summary>
public sealed class SqsBatchResult
{
    public IReadOnlyList<SqsBatchResultEntry> Successful { get; set; } = [];

    public IReadOnlyList<SqsBatchFailure> Failed { get; set; } = [];
}

/// <summary>What ReceiveMessage may ask for. Attribute names include e.g. <c>ApproximateReceiveCount</c> or <c>All</c>.</summary>
public sealed record SqsReceiveOptions
{
    /// <summary>1..10.</summary>
    public int MaxNumberOfMessages { get; init; } = 10;

    /// <summary>Long-poll time, 0..20 s.</summary>
    public int WaitTimeSeconds { get; init; }

    public int? VisibilityTimeout { get; init; }

    public IReadOnlyList<string> AttributeNames { get; init; } = ["All"];

    public IReadOnlyList<string> MessageAttributeNames { get; init; } = ["All"];
}

/// <summary>A message as ReceiveMessage returns it.</summary>
public sealed class SqsReceivedMessage
{
    public string MessageId { get; set; } = "";

    public string ReceiptHandle { get; set; } = "";

    public string? MD5OfBody { get; set; }

    public string Body { get; set; } = "";

    /// <summary>System attributes such as ApproximateReceiveCount, SentTimestamp.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; set; } = new Dictionary<string, string>();

    public string? MD5OfMessageAttributes { get; set; }

    public IReadOnlyDictionary<string, SqsAttributeValue> MessageAttributes { get; set; } = new Dictionary<string, SqsAttributeValue>();
}

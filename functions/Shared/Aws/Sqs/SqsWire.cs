namespace Pipelines.Shared.Aws;

// Request and response bodies as the SQS JSON protocol spells them.
internal sealed class SqsQueueNameRequest
{
    public string QueueName { get; set; } = "";

    public Dictionary<string, string>? Attributes { get; set; }
}

internal sealed class SqsQueueUrlResponse
{
    public string QueueUrl { get; set; } = "";
}

internal sealed class SqsQueueUrlRequest
{
    public string QueueUrl { get; set; } = "";
}

internal sealed class SqsGetQueueAttributesRequest
{
    public string QueueUrl { get; set; } = "";

    public List<string> AttributeNames { get; set; } = [];
}

internal sealed class SqsAttributesResponse
{
    public Dictionary<string, string>? Attributes { get; set; }
}

internal sealed class SqsSetQueueAttributesRequest
{
    public string QueueUrl { get; set; } = "";

    public Dictionary<string, string> Attributes { get; set; } = [];
}

internal sealed class SqsSendMessageRequest
{
    public string QueueUrl { get; set; } = "";

    public string MessageBody { get; set; } = "";

    public int? DelaySeconds { get; set; }

    public Dictionary<string, SqsAttributeValue>? MessageAttributes { get; set; }

    public string? MessageGroupId { get; set; }

    public string? MessageDeduplicationId { get; set; }
}

internal sealed class SqsSendMessageBatchRequest
{
    public string QueueUrl { get; set; } = "";

    public List<SqsSendMessageBatchEntry> Entries { get; set; } = [];
}

internal sealed class SqsSendMessageBatchEntry
{
    public string Id { get; set; } = "";

    public string MessageBody { get; set; } = "";

    public int? DelaySeconds { get; set; }

    public Dictionary<string, SqsAttributeValue>? MessageAttributes { get; set; }

    public string? MessageGroupId { get; set; }

    public string? MessageDeduplicationId { get; set; }
}

internal sealed class SqsReceiveMessageRequest
{
    public string QueueUrl { get; set; } = "";

    public int MaxNumberOfMessages { get; set; }

    public int WaitTimeSeconds { get; set; }

    public int? VisibilityTimeout { get; set; }

    // The legacy and the current name of the same list: emulators know the first, AWS prefers the second.
    public List<string>? AttributeNames { get; set; }

    public List<string>? MessageSystemAttributeNames { get; set; }

    public List<string>? MessageAttributeNames { get; set; }
}

internal sealed class SqsReceiveMessageResponse
{
    public List<SqsReceivedMessage>? Messages { get; set; }
}

internal sealed class SqsReceiptRequest
{
    public string QueueUrl { get; set; } = "";

    public string ReceiptHandle { get; set; } = "";
}

internal sealed class SqsDeleteMessageBatchRequest
{
    public string QueueUrl { get; set; } = "";

    public List<SqsDeleteEntry> Entries { get; set; } = [];
}

internal sealed class SqsChangeVisibilityRequest
{
    public string QueueUrl { get; set; } = "";

    public string ReceiptHandle { get; set; } = "";

    public int VisibilityTimeout { get; set; }
}

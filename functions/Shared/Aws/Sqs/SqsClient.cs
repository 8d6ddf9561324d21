namespace Pipelines.Shared.Aws;

/// <summary>
/// The SQS operations this project uses, over the SQS JSON protocol (<c>AmazonSQS.&lt;Op&gt;</c>, x-amz-json-1.0).
/// Requests always go to the configured endpoint with the queue URL in the body, so emulators whose queue URLs name
/// an unresolvable host still work.
/// </summary>
public sealed class SqsClient
{
    private readonly AwsJsonClient client;

    public SqsClient(AwsClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        client = new AwsJsonClient(options, "AmazonSQS", "1.0");
    }


    public static SqsClient FromEnvironment() => new(AwsClientOptions.FromEnvironment(AwsService.Sqs.EnvironmentId));

    public AwsClientOptions Options => client.Options;

    /// <summary>Creates the queue (or returns the existing one with the same attributes) and returns its URL.</summary>
    public async Task<string> CreateQueueAsync(
        string queueName, IReadOnlyDictionary<string, string>? attributes = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueName);
        var request = new SqsQueueNameRequest { QueueName = queueName, Attributes = attributes?.ToDictionary() };
        var response = await client.SendAsync(
                "CreateQueue", request, AwsJsonContext.Default.SqsQueueNameRequest, AwsJsonContext.Default.SqsQueueUrlResponse, cancellationToken)
            .ConfigureAwait(false);
        return response.QueueUrl;
    }

    public async Task<string> GetQueueUrlAsync(string queueName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueName);
        var response = await client.SendAsync(
                "GetQueueUrl",
                new SqsQueueNameRequest { QueueName = queueName },
                AwsJsonContext.Default.SqsQueueNameRequest,
                AwsJsonContext.Default.SqsQueueUrlResponse,
                cancellationToken)
            .ConfigureAwait(false);
        return response.QueueUrl;
    }

    /// <param name="attributeNames">e.g. <c>QueueArn</c>, <c>ApproximateNumberOfMessages</c>, or <c>All</c>.</param>
    public async Task<IReadOnlyDictionary<string, string>> GetQueueAttributesAsync(
        string queueUrl, IReadOnlyList<string> attributeNames, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueUrl);
        ArgumentNullException.ThrowIfNull(attributeNames);
        var response = await client.SendAsync(
                "GetQueueAttributes",
                new SqsGetQueueAttributesRequest { QueueUrl = queueUrl, AttributeNames = [.. attributeNames] },
                AwsJsonContext.Default.SqsGetQueueAttributesRequest,
                AwsJsonContext.Default.SqsAttributesResponse,
                cancellationToken)
            .ConfigureAwait(false);
        return response.Attributes ?? [];
    }

    public async Task SetQueueAttributesAsync(
        string queueUrl, IReadOnlyDictionary<string, string> attributes, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueUrl);
        ArgumentNullException.ThrowIfNull(attributes);
        await client.SendAsync(
                "SetQueueAttributes",
                new SqsSetQueueAttributesRequest { QueueUrl = queueUrl, Attributes = attributes.ToDictionary() },
                AwsJsonContext.Default.SqsSetQueueAttributesRequest,
                AwsJsonContext.Default.EmptyResponse,
                cancellationToken)
            .ConfigureAwait(false);
    }

    public Task<SqsSendResult> SendMessageAsync(
        string queueUrl,
        string messageBody,
        int? delaySeconds = null,
        IReadOnlyDictionary<string, SqsAttributeValue>? messageAttributes = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueUrl);
        ArgumentNullException.ThrowIfNull(messageBody);
        var request = new SqsSendMessageRequest
        {
            QueueUrl = queueUrl,
            MessageBody = messageBody,
            DelaySeconds = delaySeconds,
            MessageAttributes = messageAttributes?.ToDictionary(),
        };
        return client.SendAsync(
            "SendMessage", request, AwsJsonContext.Default.SqsSendMessageRequest, AwsJsonContext.Default.SqsSendResult, cancellationToken);
    }

    /// <summary>Sends up to 10 messages; failed entries are listed in <see cref="SqsBatchResult.Failed"/>, not thrown.</summary>
    public Task<SqsBatchResult> SendMessageBatchAsync(
        string queueUrl, IReadOnlyList<SqsSendEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueUrl);
        ArgumentNullException.ThrowIfNull(entries);
        var request = new SqsSendMessageBatchRequest
        {
            QueueUrl = queueUrl,
            Entries = entries.Select(e => new SqsSendMessageBatchEntry
            {
                Id = e.Id,
                MessageBody = e.MessageBody,
                DelaySeconds = e.DelaySeconds,
                MessageAttributes = e.MessageAttributes?.ToDictionary(),
                MessageGroupId = e.MessageGroupId,
                MessageDeduplicationId = e.MessageDeduplicationId,
            }).ToList(),
        };
        return client.SendAsync(
            "SendMessageBatch",
            request,
            AwsJsonContext.Default.SqsSendMessageBatchRequest,
            AwsJsonContext.Default.SqsBatchResult,
            cancellationToken);
    }

    /// <summary>Receives up to <see cref="SqsReceiveOptions.MaxNumberOfMessages"/> messages, long-polling when asked.</summary>
    public async Task<IReadOnlyList<SqsReceivedMessage>> ReceiveMessageAsync(
        string queueUrl, SqsReceiveOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueUrl);
        options ??= new SqsReceiveOptions();
        var request = new SqsReceiveMessageRequest
        {
            QueueUrl = queueUrl,
            MaxNumberOfMessages = options.MaxNumberOfMessages,
            WaitTimeSeconds = options.WaitTimeSeconds,
            VisibilityTimeout = options.VisibilityTimeout,
            AttributeNames = options.AttributeNames.Count > 0 ? [.. options.AttributeNames] : null,
            MessageSystemAttributeNames = options.AttributeNames.Count > 0 ? [.. options.AttributeNames] : null,
            MessageAttributeNames = options.MessageAttributeNames.Count > 0 ? [.. options.MessageAttributeNames] : null,
        };

        // A long poll legitimately takes up to WaitTimeSeconds: give the attempt that much on top of the usual limit.
        var attemptTimeout = client.Options.AttemptTimeout + TimeSpan.FromSeconds(options.WaitTimeSeconds);
        var response = await client.SendAsync(
                "ReceiveMessage",
                request,
                AwsJsonContext.Default.SqsReceiveMessageRequest,
                AwsJsonContext.Default.SqsReceiveMessageResponse,
                cancellationToken,
                attemptTimeout)
            .ConfigureAwait(false);
        return response.Messages ?? [];
    }

    public async Task DeleteMessageAsync(string queueUrl, string receiptHandle, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(receiptHandle);
        await client.SendAsync(
                "DeleteMessage",
                new SqsReceiptRequest { QueueUrl = queueUrl, ReceiptHandle = receiptHandle },
                AwsJsonContext.Default.SqsReceiptRequest,
                AwsJsonContext.Default.EmptyResponse,
                cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>Deletes up to 10 messages; failed entries are listed in <see cref="SqsBatchResult.Failed"/>, not thrown.</summary>
    public Task<SqsBatchResult> DeleteMessageBatchAsync(
        string queueUrl, IReadOnlyList<SqsDeleteEntry> entries, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueUrl);
        ArgumentNullException.ThrowIfNull(entries);
        return client.SendAsync(
            "DeleteMessageBatch",
            new SqsDeleteMessageBatchRequest { QueueUrl = queueUrl, Entries = [.. entries] },
            AwsJsonContext.Default.SqsDeleteMessageBatchRequest,
            AwsJsonContext.Default.SqsBatchResult,
            cancellationToken);
    }

    public async Task ChangeMessageVisibilityAsync(
        string queueUrl, string receiptHandle, int visibilityTimeoutSeconds, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(receiptHandle);
        await client.SendAsync(
                "ChangeMessageVisibility",
                new SqsChangeVisibilityRequest { QueueUrl = queueUrl, ReceiptHandle = receiptHandle, VisibilityTimeout = visibilityTimeoutSeconds },
                AwsJsonContext.Default.SqsChangeVisibilityRequest,
                AwsJsonContext.Default.EmptyResponse,
                cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task PurgeQueueAsync(string queueUrl, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueUrl);
        await client.SendAsync(
                "PurgeQueue",
                new SqsQueueUrlRequest { QueueUrl = queueUrl },
                AwsJsonContext.Default.SqsQueueUrlRequest,
                AwsJsonContext.Default.EmptyResponse,
                cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task DeleteQueueAsync(string queueUrl, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(queueUrl);
        await client.SendAsync(
                "DeleteQueue",
                new SqsQueueUrlRequest { QueueUrl = queueUrl },
                AwsJsonContext.Default.SqsQueueUrlRequest,
                AwsJsonContext.Default.EmptyResponse,
                cancellationToken)
            .ConfigureAwait(false);
    }
}

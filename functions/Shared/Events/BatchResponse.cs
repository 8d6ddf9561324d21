using System.Text.Json.Serialization;

namespace Pipelines.Shared.Events;

/// <summary>
/// Partial batch response for Kinesis, DynamoDB Streams and SQS mappings with ReportBatchItemFailures:
/// the item identifier is the sequence number (streams) or message id (SQS). An empty list acknowledges the batch.
/// </summary>
public sealed class BatchResponse
{
    [JsonPropertyName("batchItemFailures")]
    public List<BatchItemFailure> BatchItemFailures { get; set => field = value ?? []; } = [];

    public static BatchResponse Of(IEnumerable<string> failedItemIdentifiers)
    {
        ArgumentNullException.ThrowIfNull(failedItemIdentifiers);
        var response = new BatchResponse();
        foreach (var id in failedItemIdentifiers) response.BatchItemFailures.Add(new BatchItemFailure { ItemIdentifier = id });
        return response;
    }
}

public sealed class BatchItemFailure
{
    [JsonPropertyName("itemIdentifier")]
    public string ItemIdentifier { get; set => field = value ?? ""; } = "";
}

using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Pipelines.Reviews.Domain;
using Pipelines.Shared.Observability;
using Pipelines.Shared.Resilience;

namespace Pipelines.Reviews.Storage;

/// <summary>
/// Writes reviews with BatchWriteItem: 25 puts per call, several calls in flight (bounded by the
/// <c>max_parallel_writes</c> tunable), UnprocessedItems and transient errors retried with capped, jittered backoff.
/// A put of the same item is idempotent, so re-sending an item that may already be stored is always safe.
/// </summary>
internal sealed class DynamoReviewStore(IAmazonDynamoDB dynamoDb, string tableName) : IReviewStore
{
    /// <summary>BatchWriteItem's limit on requests per call.</summary>
    public const int MaxItemsPerCall = 25;

    public async Task<ItemWriteResult[]> WriteAsync(IReadOnlyList<ReviewItem> items, SinkSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(settings);
        var results = new ItemWriteResult[items.Count];
        var chunks = new int[(items.Count + MaxItemsPerCall - 1) / MaxItemsPerCall][];
        for (var c = 0; c < chunks.Length; c++)
        {
            var chunk = new int[Math.Min(MaxItemsPerCall, items.Count - c * MaxItemsPerCall)];
            for (var j = 0; j < chunk.Length; j++) chunk[j] = c * MaxItemsPerCall + j;
            chunks[c] = chunk;
        }
        await Parallel.ForEachAsync(
            chunks,
            new ParallelOptions { MaxDegreeOfParallelism = settings.MaxParallelWrites, CancellationToken = CancellationToken.None },
            async (chunk, _) => await WriteChunkAsync(items, chunk, results, settings.Retry, cancellationToken)).ConfigureAwait(false);
        return results;
    }

    /// <summary>Never throws: every index of the chunk ends Written, Failed or Rejected.</summary>
    private async Task WriteChunkAsync(
        IReadOnlyList<ReviewItem> items, int[] chunk, ItemWriteResult[] results, RetryOptions retry, CancellationToken cancellationToken)
    {
        // Keys are unique within an invocation, so the partition key maps an unprocessed request back to its item.
        // The usual answer leaves nothing unprocessed; only then is the index list all that is needed.
        IReadOnlyCollection<int> pending = chunk;
        var requests = new List<WriteRequest>(chunk.Length);
        foreach (var i in chunk) requests.Add(new WriteRequest { PutRequest = new PutRequest { Item = AttributeValues.ToItem(items[i]) } });
        try
        {
            await Retry.ExecuteAsync(
                async ct =>
                {
                    var response = await dynamoDb.BatchWriteItemAsync(
                        new BatchWriteItemRequest { RequestItems = new() { [tableName] = requests } }, ct).ConfigureAwait(false);
                    var unprocessed = response.UnprocessedItems is { } u && u.TryGetValue(tableName, out var left) ? left : null;
                    if (unprocessed is null || unprocessed.Count == 0)
                    {
                        foreach (var index in pending) results[index] = ItemWriteResult.Written;
                        pending = [];
                        requests = [];
                        return;
                    }
                    var indexById = new Dictionary<string, int>(pending.Count, StringComparer.Ordinal);
                    foreach (var index in pending) indexById[items[index].ReviewId] = index;
                    var stillPending = new List<int>(unprocessed.Count);
                    foreach (var request in unprocessed)
                    {
                        var key = request.PutRequest.Item[ReviewFields.ReviewId].S;
                        if (indexById.Remove(key, out var index)) stillPending.Add(index);
                    }
                    foreach (var index in indexById.Values) results[index] = ItemWriteResult.Written;
                    pending = stillPending;
                    requests = unprocessed;
                    throw new UnprocessedItemsException(pending.Count);
                },
                retry with { ShouldRetry = (ex, ct) => ex is UnprocessedItemsException || (retry.ShouldRetry ?? TransientErrors.IsTransient)(ex, ct) },
                cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonDynamoDBException e) when (e.ErrorCode == "ValidationException")
        {
            // One bad item fails the whole call; find it by putting the chunk's items one at a time.
            Log.Warn("BatchWriteItem refused the request; isolating items", new LogField("error", e.Message), new LogField("items", pending.Count));
            await PutIndividuallyAsync(items, pending, results, retry, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.Warn("Review writes not acknowledged after retries", new LogField("error", e.Message), new LogField("items", pending.Count));
            foreach (var index in pending) results[index] = ItemWriteResult.Failed(e.Message);
        }
    }

    private async Task PutIndividuallyAsync(
        IReadOnlyList<ReviewItem> items, IEnumerable<int> indexes, ItemWriteResult[] results, RetryOptions retry, CancellationToken cancellationToken)
    {
        foreach (var index in indexes)
        {
            try
            {
                await Retry.ExecuteAsync(
                    ct => dynamoDb.PutItemAsync(new PutItemRequest { TableName = tableName, Item = AttributeValues.ToItem(items[index]) }, ct),
                    retry, cancellationToken).ConfigureAwait(false);
                results[index] = ItemWriteResult.Written;
            }
            catch (AmazonDynamoDBException e) when (e.ErrorCode == "ValidationException")
            {
                results[index] = ItemWriteResult.Rejected($"DynamoDB refused the item: {e.Message}");
            }
            catch (Exception e)
            {
                results[index] = ItemWriteResult.Failed(e.Message);
            }
        }
    }

    private sealed class UnprocessedItemsException(int count)
        : Exception($"{count} item(s) still unprocessed by BatchWriteItem (throttled)");
}

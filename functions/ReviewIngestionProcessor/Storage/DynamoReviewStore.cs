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
        var chunks = Enumerable.Range(0, (items.Count + MaxItemsPerCall - 1) / MaxItemsPerCall)
            .Select(c => Enumerable.Range(c * MaxItemsPerCall, Math.Min(MaxItemsPerCall, items.Count - c * MaxItemsPerCall)).ToArray());
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
        var pending = chunk.ToDictionary(i => items[i].ReviewId, i => i, StringComparer.Ordinal);
        var requests = chunk.Select(i => new WriteRequest { PutRequest = new PutRequest { Item = AttributeValues.ToItem(items[i]) } }).ToList();
        try
        {
            await Retry.ExecuteAsync(
                async ct =>
                {
                    var response = await dynamoDb.BatchWriteItemAsync(
                        new BatchWriteItemRequest { RequestItems = new() { [tableName] = requests } }, ct).ConfigureAwait(false);
                    var unprocessed = response.UnprocessedItems is { } u && u.TryGetValue(tableName, out var left) ? left : null;
                    var stillPending = new Dictionary<string, int>(StringComparer.Ordinal);
                    foreach (var request in unprocessed ?? [])
                    {
                        var key = request.PutRequest.Item[ReviewFields.ReviewId].S;
                        stillPending[key] = pending[key];
                    }
                    foreach (var (key, index) in pending)
                    {
                        if (!stillPending.ContainsKey(key)) results[index] = ItemWriteResult.Written;
                    }
                    pending = stillPending;
                    requests = unprocessed ?? [];
                    if (pending.Count > 0) throw new UnprocessedItemsException(pending.Count);
                },
                retry with { ShouldRetry = (ex, ct) => ex is UnprocessedItemsException || (retry.ShouldRetry ?? TransientErrors.IsTransient)(ex, ct) },
                cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonDynamoDBException e) when (e.ErrorCode == "ValidationException")
        {
            // One bad item fails the whole call; find it by putting the chunk's items one at a time.
            Log.Warn("BatchWriteItem refused the request; isolating items", new LogField("error", e.Message), new LogField("items", pending.Count));
            await PutIndividuallyAsync(items, pending.Values, results, retry, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.Warn("Review writes not acknowledged after retries", new LogField("error", e.Message), new LogField("items", pending.Count));
            foreach (var index in pending.Values) results[index] = ItemWriteResult.Failed(e.Message);
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

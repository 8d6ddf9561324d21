using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Pipelines.Counties.Domain;
using Pipelines.Shared.Observability;
using Pipelines.Shared.Resilience;

namespace Pipelines.Counties.Storage;

/// <summary>
/// Puts count items with BatchWriteItem (25 per call, the calls in parallel: a batch holds at most a few dozen
/// counties), resending UnprocessedItems and retrying throttling and 5xx with capped, jittered backoff.
/// </summary>
internal sealed class DynamoCountStore(IAmazonDynamoDB dynamoDb, string tableName) : ICountStore
{
    public const int MaxItemsPerCall = 25;

    public async Task<bool> WriteAsync(IReadOnlyList<CountyBatchCount> counts, RetryOptions retry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(retry);
        var calls = counts.Chunk(MaxItemsPerCall).Select(chunk => WriteChunkAsync(chunk, retry, cancellationToken));
        var results = await Task.WhenAll(calls).ConfigureAwait(false);
        return results.All(ok => ok);
    }

    private async Task<bool> WriteChunkAsync(CountyBatchCount[] chunk, RetryOptions retry, CancellationToken cancellationToken)
    {
        var requests = new List<WriteRequest>(chunk.Length);
        foreach (var c in chunk) requests.Add(new WriteRequest { PutRequest = new PutRequest { Item = CountItems.ToItem(c) } });
        try
        {
            await Retry.ExecuteAsync(
                async ct =>
                {
                    var response = await dynamoDb.BatchWriteItemAsync(
                        new BatchWriteItemRequest { RequestItems = new() { [tableName] = requests } }, ct).ConfigureAwait(false);
                    requests = response.UnprocessedItems is { } u && u.TryGetValue(tableName, out var left) ? left : [];
                    if (requests.Count > 0) throw new UnprocessedItemsException(requests.Count);
                },
                retry with { ShouldRetry = (ex, ct) => ex is UnprocessedItemsException || (retry.ShouldRetry ?? TransientErrors.IsTransient)(ex, ct) },
                cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (Exception e)
        {
            Log.Warn("County counts not acknowledged after retries", new LogField("error", e.Message), new LogField("items", requests.Count));
            return false;
        }
    }

    private sealed class UnprocessedItemsException(int count)
        : Exception($"{count} item(s) still unprocessed by BatchWriteItem (throttled)");
}

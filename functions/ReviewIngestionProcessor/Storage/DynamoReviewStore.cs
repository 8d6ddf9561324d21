using System.Text.Json;
using Pipelines.Reviews.Domain;
using Pipelines.Shared.Aws;
using Pipelines.Shared.Observability;
using Pipelines.Shared.Resilience;

namespace Pipelines.Reviews.Storage;

/// <summary>
/// Writes reviews with BatchWriteItem over DynamoDB's JSON 1.0 protocol (the shared signed client, bodies written from
/// the items' own DynamoDB JSON): 25 puts per call, several calls in flight (bounded by the <c>max_parallel_writes</c>
/// tunable), UnprocessedItems and transient errors retried with capped, jittered backoff. A put of the same item is
/// idempotent, so re-sending an item that may already be stored is always safe.
/// </summary>
internal sealed class DynamoReviewStore : IReviewStore
{
    /// <summary>BatchWriteItem's limit on requests per call.</summary>
    public const int MaxItemsPerCall = 25;

    /// <summary>DynamoDB's AWS JSON protocol: <c>X-Amz-Target: DynamoDB_20120810.&lt;operation&gt;</c>, JSON 1.0.</summary>
    public const string TargetPrefix = "DynamoDB_20120810";

    private readonly AwsJsonClient _dynamoDb;
    private readonly string _tableName;
    private readonly JsonEncodedText _encodedTableName;

    public DynamoReviewStore(AwsJsonClient dynamoDb, string tableName)
    {
        ArgumentNullException.ThrowIfNull(dynamoDb);
        ArgumentException.ThrowIfNullOrWhiteSpace(tableName);
        _dynamoDb = dynamoDb;
        _tableName = tableName;
        _encodedTableName = JsonEncodedText.Encode(tableName);
    }

    /// <summary>A store over DynamoDB at <paramref name="options"/> (through <paramref name="httpClient"/> when given: tests, benchmarks).</summary>
    public static DynamoReviewStore Create(AwsClientOptions options, string tableName, HttpClient? httpClient = null) =>
        new(httpClient is null
                ? new AwsJsonClient(options, TargetPrefix, "1.0")
                : new AwsJsonClient(options, TargetPrefix, "1.0", httpClient),
            tableName);

    public async Task<ItemWriteResult[]> WriteAsync(IReadOnlyList<ReviewItem> items, SinkSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(settings);
        var results = new ItemWriteResult[items.Count];
        var indexes = new int[items.Count];
        for (var i = 0; i < indexes.Length; i++) indexes[i] = i;
        var chunks = (items.Count + MaxItemsPerCall - 1) / MaxItemsPerCall;
        var nextChunk = -1;

        // A few workers take the next chunk until none is left: at most max_parallel_writes calls in flight. Each
        // worker runs on the caller's thread until its call really waits, so nothing is queued to the thread pool
        // for a call that completes at once, which Parallel.ForEachAsync would do.
        async Task WorkAsync()
        {
            int chunk;
            while ((chunk = Interlocked.Increment(ref nextChunk)) < chunks)
            {
                var start = chunk * MaxItemsPerCall;
                var slice = new ArraySegment<int>(indexes, start, Math.Min(MaxItemsPerCall, items.Count - start));
                await WriteChunkAsync(items, slice, results, settings.Retry, cancellationToken).ConfigureAwait(false);
            }
        }

        var workers = new Task[Math.Min(settings.MaxParallelWrites, chunks)];
        for (var w = 0; w < workers.Length; w++) workers[w] = WorkAsync();
        await Task.WhenAll(workers).ConfigureAwait(false);
        return results;
    }

    /// <summary>Never throws: every index of the chunk ends Written, Failed or Rejected.</summary>
    private async Task WriteChunkAsync(
        IReadOnlyList<ReviewItem> items, IReadOnlyList<int> chunk, ItemWriteResult[] results, RetryOptions retry, CancellationToken cancellationToken)
    {
        IReadOnlyList<int> pending = chunk;
        try
        {
            await Retry.ExecuteAsync(
                async ct =>
                {
                    byte[] response;
                    using (var body = BatchWriteRequestBody.Write(_encodedTableName, items, pending))
                    {
                        response = await _dynamoDb.SendRawOnceAsync("BatchWriteItem", body.Memory, ct).ConfigureAwait(false);
                    }
                    // The usual answer leaves nothing unprocessed; only then is the index list all that is needed.
                    var unprocessed = UnprocessedItems.ReviewIds(response, _tableName);
                    if (unprocessed is null)
                    {
                        for (var i = 0; i < pending.Count; i++) results[pending[i]] = ItemWriteResult.Written;
                        pending = [];
                        return;
                    }
                    // Keys are unique within an invocation, so the review id maps an unprocessed put back to its item.
                    var indexById = new Dictionary<string, int>(pending.Count, StringComparer.Ordinal);
                    foreach (var index in pending) indexById[items[index].ReviewId] = index;
                    var stillPending = new List<int>(unprocessed.Count);
                    foreach (var id in unprocessed)
                    {
                        if (indexById.Remove(id, out var index)) stillPending.Add(index);
                    }
                    foreach (var index in indexById.Values) results[index] = ItemWriteResult.Written;
                    stillPending.Sort(); // resend in batch order, as the first call did
                    pending = stillPending;
                    if (pending.Count > 0) throw new UnprocessedItemsException(pending.Count);
                },
                retry with { ShouldRetry = (ex, ct) => ex is UnprocessedItemsException || (retry.ShouldRetry ?? TransientErrors.IsTransient)(ex, ct) },
                cancellationToken).ConfigureAwait(false);
        }
        catch (AwsServiceException e) when (e.ErrorCode == "ValidationException")
        {
            if (pending.Count == 1)
            {
                results[pending[0]] = ItemWriteResult.Rejected($"DynamoDB refused the item: {e.ServiceMessage ?? e.Message}");
                return;
            }
            // One bad item fails the whole call; find it by writing the chunk's items one per call.
            Log.Warn("BatchWriteItem refused the request; isolating items", new LogField("error", e.Message), new LogField("items", pending.Count));
            foreach (var index in pending) await WriteChunkAsync(items, [index], results, retry, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Log.Warn("Review writes not acknowledged after retries", new LogField("error", e.Message), new LogField("items", pending.Count));
            foreach (var index in pending) results[index] = ItemWriteResult.Failed(e.Message);
        }
    }

    private sealed class UnprocessedItemsException(int count)
        : Exception($"{count} item(s) still unprocessed by BatchWriteItem (throttled)");
}

using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace Pipelines.Tests.ReviewIngestionProcessor;

/// <summary>
/// The real SDK client with BatchWriteItem/PutItem answered in memory: a table of items by review_id, plus a script
/// of what DynamoDB does to each call (throttle it, leave items unprocessed, refuse it as invalid).
/// </summary>
internal sealed class ScriptedDynamoDb() : AmazonDynamoDBClient(
    new BasicAWSCredentials("test", "test"), new AmazonDynamoDBConfig { ServiceURL = "http://127.0.0.1:9" })
{
    public Dictionary<string, Dictionary<string, AttributeValue>> Items { get; } = new(StringComparer.Ordinal);

    public List<int> BatchSizes { get; } = [];

    public int PutItemCalls { get; private set; }

    /// <summary>Called before each BatchWriteItem: throw to fail the call, or return keys to leave unprocessed.</summary>
    public Func<int, IReadOnlyList<string>, IEnumerable<string>>? OnBatch { get; set; }

    /// <summary>Items DynamoDB refuses (ValidationException) whatever the call.</summary>
    public Func<Dictionary<string, AttributeValue>, bool> IsInvalid { get; set; } = _ => false;

    private int _calls;
    private int _inFlight;

    public int MaxInFlight { get; private set; }

    public override async Task<BatchWriteItemResponse> BatchWriteItemAsync(BatchWriteItemRequest request, CancellationToken cancellationToken = default)
    {
        var requests = request.RequestItems.Single().Value;
        var inFlight = Interlocked.Increment(ref _inFlight);
        lock (Items) MaxInFlight = Math.Max(MaxInFlight, inFlight);
        try
        {
            // Let concurrent calls overlap so the parallelism bound is observable.
            await Task.Delay(20, cancellationToken);
            var keys = requests.Select(r => r.PutRequest.Item["review_id"].S).ToList();
            lock (Items)
            {
                BatchSizes.Add(requests.Count);
                if (keys.Distinct().Count() != keys.Count)
                    throw new AmazonDynamoDBException("Provided list of item keys contains duplicates") { ErrorCode = "ValidationException" };
                if (requests.Any(r => IsInvalid(r.PutRequest.Item)))
                    throw new AmazonDynamoDBException("One or more parameter values were invalid") { ErrorCode = "ValidationException" };
            }
            var leave = (OnBatch?.Invoke(Interlocked.Increment(ref _calls), keys) ?? []).ToHashSet(StringComparer.Ordinal);
            var unprocessed = new List<WriteRequest>();
            lock (Items)
            {
                foreach (var r in requests)
                {
                    var key = r.PutRequest.Item["review_id"].S;
                    if (leave.Contains(key)) unprocessed.Add(r);
                    else Items[key] = r.PutRequest.Item;
                }
            }
            var table = request.RequestItems.Single().Key;
            return new BatchWriteItemResponse
            {
                UnprocessedItems = unprocessed.Count == 0 ? [] : new() { [table] = unprocessed },
            };
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    public override Task<PutItemResponse> PutItemAsync(PutItemRequest request, CancellationToken cancellationToken = default)
    {
        lock (Items)
        {
            PutItemCalls++;
            if (IsInvalid(request.Item))
                throw new AmazonDynamoDBException("Item size has exceeded the maximum allowed size") { ErrorCode = "ValidationException" };
            Items[request.Item["review_id"].S] = request.Item;
        }
        return Task.FromResult(new PutItemResponse());
    }

    public static AmazonDynamoDBException Throttled() =>
        new("Rate of requests exceeds the allowed throughput.") { ErrorCode = "ProvisionedThroughputExceededException", StatusCode = System.Net.HttpStatusCode.BadRequest };

    public static AmazonDynamoDBException ServerError() =>
        new("Internal server error") { ErrorCode = "InternalServerError", StatusCode = System.Net.HttpStatusCode.InternalServerError };

    /// <summary>A stable text form of the table for comparing end states.</summary>
    public string Dump()
    {
        lock (Items)
        {
            return string.Join("\n", Items.OrderBy(i => i.Key, StringComparer.Ordinal)
                .Select(i => i.Key + "=" + Describe(new AttributeValue { M = i.Value })));
        }
    }

    private static string Describe(AttributeValue v) =>
        v.S is not null ? JsonSerializer.Serialize(v.S)
        : v.N is not null ? "N" + v.N
        : v.BOOL is { } b ? (b ? "true" : "false")
        : v.NULL == true ? "null"
        : v.L is not null ? "[" + string.Join(",", v.L.Select(Describe)) + "]"
        : "{" + string.Join(",", (v.M ?? []).OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => e.Key + ":" + Describe(e.Value))) + "}";
}

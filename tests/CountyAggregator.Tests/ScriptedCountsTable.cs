using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace Pipelines.Tests.CountyAggregator;

/// <summary>
/// The real SDK client with BatchWriteItem answered in memory for a table keyed (County, BatchId), and a script
/// of throttling, server errors and unprocessed items per call.
/// </summary>
internal sealed class ScriptedCountsTable() : AmazonDynamoDBClient(
    new BasicAWSCredentials("test", "test"), new AmazonDynamoDBConfig { ServiceURL = "http://127.0.0.1:9" })
{
    private int _calls;

    public Dictionary<(string County, string BatchId), Dictionary<string, AttributeValue>> Items { get; } = [];

    public List<int> BatchSizes { get; } = [];

    /// <summary>Called before each call with its number and the counties in it: throw to fail it, or return counties to leave unprocessed.</summary>
    public Func<int, IReadOnlyList<string>, IEnumerable<string>>? OnBatch { get; set; }

    public override Task<BatchWriteItemResponse> BatchWriteItemAsync(BatchWriteItemRequest request, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (table, requests) = request.RequestItems.Single();
        var counties = requests.Select(r => r.PutRequest.Item["County"].S).ToList();
        lock (Items) BatchSizes.Add(requests.Count);
        var leave = (OnBatch?.Invoke(Interlocked.Increment(ref _calls), counties) ?? []).ToHashSet(StringComparer.Ordinal);
        var unprocessed = new List<WriteRequest>();
        lock (Items)
        {
            foreach (var r in requests)
            {
                var item = r.PutRequest.Item;
                if (leave.Contains(item["County"].S)) unprocessed.Add(r);
                else Items[(item["County"].S, item["BatchId"].S)] = item;
            }
        }
        return Task.FromResult(new BatchWriteItemResponse { UnprocessedItems = unprocessed.Count == 0 ? [] : new() { [table] = unprocessed } });
    }

    public SortedDictionary<string, int> Totals()
    {
        lock (Items)
        {
            return new(Items.Values.GroupBy(i => i["County"].S).ToDictionary(g => g.Key, g => g.Sum(i => int.Parse(i["Count"].N, System.Globalization.CultureInfo.InvariantCulture))), StringComparer.Ordinal);
        }
    }

    public string Dump()
    {
        lock (Items)
        {
            return string.Join("\n", Items.OrderBy(i => i.Key.County, StringComparer.Ordinal).ThenBy(i => i.Key.BatchId, StringComparer.Ordinal)
                .Select(i => string.Join(",", i.Value.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value.S ?? a.Value.N}"))));
        }
    }

    public static AmazonDynamoDBException Throttled() =>
        new("Rate of requests exceeds the allowed throughput.") { ErrorCode = "ProvisionedThroughputExceededException", StatusCode = System.Net.HttpStatusCode.BadRequest };

    public static AmazonDynamoDBException ServerError() =>
        new("Service unavailable") { ErrorCode = "ServiceUnavailable", StatusCode = System.Net.HttpStatusCode.ServiceUnavailable };
}

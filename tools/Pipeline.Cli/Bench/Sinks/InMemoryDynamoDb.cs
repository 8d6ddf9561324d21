using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace Pipelines.Cli.Bench.Sinks;

/// <summary>
/// The real SDK client with the calls the functions make answered in memory, so a benchmark measures the function's
/// own work up to the fully built request (items, BatchWriteItem bodies, conditional updates) and no network.
/// Items are kept by table and key, and the few expressions the functions send are evaluated, so a conditional claim
/// behaves as DynamoDB would (first claim wins, a second claimant gets ConditionalCheckFailedException).
/// Every answer completes synchronously and allocates as little as possible, so the sink's cost stays out of the figure.
/// Thread-safe (one lock), as functions write chunks in parallel.
/// </summary>
internal sealed class InMemoryDynamoDb : AmazonDynamoDBClient
{
    private static readonly Task<BatchWriteItemResponse> BatchWritten = Task.FromResult(new BatchWriteItemResponse { UnprocessedItems = [] });
    private static readonly Task<PutItemResponse> Put = Task.FromResult(new PutItemResponse());
    private static readonly Task<UpdateItemResponse> UpdatedWithoutOld = Task.FromResult(new UpdateItemResponse());

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (string Hash, string? Range)> _keys;
    private readonly Dictionary<string, Dictionary<string, Dictionary<string, AttributeValue>>> _tables = new(StringComparer.Ordinal);

    /// <param name="keySchema">Table name -> its hash key (and range key) attribute names.</param>
    public InMemoryDynamoDb(IReadOnlyDictionary<string, (string Hash, string? Range)> keySchema)
        : base(new BasicAWSCredentials("bench", "bench"), new AmazonDynamoDBConfig { ServiceURL = "http://127.0.0.1:9", AuthenticationRegion = "us-east-1" })
    {
        _keys = new Dictionary<string, (string, string?)>(keySchema, StringComparer.Ordinal);
        foreach (var table in keySchema.Keys) _tables[table] = new Dictionary<string, Dictionary<string, AttributeValue>>(StringComparer.Ordinal);
    }

    public long BatchWriteCalls { get; private set; }

    public long ItemsWritten { get; private set; }

    public long ConditionalFailures { get; private set; }

    /// <summary>Items currently held by <paramref name="table"/>.</summary>
    public IReadOnlyCollection<Dictionary<string, AttributeValue>> Items(string table)
    {
        lock (_gate) return [.. Table(table).Values];
    }

    /// <summary>Empties every table (between measured runs, so each run is a first delivery).</summary>
    public void Reset()
    {
        lock (_gate)
        {
            foreach (var table in _tables.Values) table.Clear();
            BatchWriteCalls = 0;
            ItemsWritten = 0;
            ConditionalFailures = 0;
        }
    }

    /// <summary>Puts an item directly (test data such as the partner-priority rows).</summary>
    public void Seed(string table, Dictionary<string, AttributeValue> item)
    {
        lock (_gate) Table(table)[KeyOf(table, item)] = item;
    }

    public override Task<BatchWriteItemResponse> BatchWriteItemAsync(BatchWriteItemRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate) return BatchWriteItemLocked(request);
    }

    private Task<BatchWriteItemResponse> BatchWriteItemLocked(BatchWriteItemRequest request)
    {
        BatchWriteCalls++;
        foreach (var (tableName, writes) in request.RequestItems)
        {
            if (writes.Count > 25) throw Validation($"BatchWriteItem carries {writes.Count} requests; the limit is 25");
            var table = Table(tableName);
            foreach (var write in writes)
            {
                if (write.PutRequest is { } put)
                {
                    table[KeyOf(tableName, put.Item)] = put.Item;
                    ItemsWritten++;
                }
                else if (write.DeleteRequest is { } delete)
                {
                    table.Remove(KeyOf(tableName, delete.Key));
                }
            }
        }
        return BatchWritten;
    }

    public override Task<PutItemResponse> PutItemAsync(PutItemRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate) return PutItemLocked(request);
    }

    private Task<PutItemResponse> PutItemLocked(PutItemRequest request)
    {
        if (!string.IsNullOrEmpty(request.ConditionExpression)) throw new NotSupportedException("conditional PutItem is not used by any function");
        Table(request.TableName)[KeyOf(request.TableName, request.Item)] = request.Item;
        ItemsWritten++;
        return Put;
    }

    public override Task<UpdateItemResponse> UpdateItemAsync(UpdateItemRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate) return UpdateItemLocked(request);
    }

    private Task<UpdateItemResponse> UpdateItemLocked(UpdateItemRequest request)
    {
        using var sink = SinkAllocations.Measure();
        var table = Table(request.TableName);
        var key = KeyOf(request.TableName, request.Key);
        table.TryGetValue(key, out var old);
        var values = request.ExpressionAttributeValues ?? [];
        if (!string.IsNullOrEmpty(request.ConditionExpression) && !UpdateExpressions.ConditionHolds(request.ConditionExpression, old, values))
        {
            ConditionalFailures++;
            throw new ConditionalCheckFailedException("The conditional request failed");
        }

        var updated = new Dictionary<string, AttributeValue>(old ?? request.Key, StringComparer.Ordinal);
        UpdateExpressions.ApplySet(request.UpdateExpression, updated, values);
        table[key] = updated;
        ItemsWritten++;
        return old is not null && request.ReturnValues == ReturnValue.ALL_OLD
            ? Task.FromResult(new UpdateItemResponse { Attributes = old })
            : UpdatedWithoutOld;
    }

    public override Task<BatchGetItemResponse> BatchGetItemAsync(BatchGetItemRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate) return BatchGetItemLocked(request);
    }

    private Task<BatchGetItemResponse> BatchGetItemLocked(BatchGetItemRequest request)
    {
        using var sink = SinkAllocations.Measure();
        var responses = new Dictionary<string, List<Dictionary<string, AttributeValue>>>(StringComparer.Ordinal);
        foreach (var (tableName, wanted) in request.RequestItems)
        {
            var table = Table(tableName);
            var found = new List<Dictionary<string, AttributeValue>>();
            foreach (var k in wanted.Keys)
                if (table.TryGetValue(KeyOf(tableName, k), out var item)) found.Add(item);
            responses[tableName] = found;
        }
        return Task.FromResult(new BatchGetItemResponse { Responses = responses, UnprocessedKeys = [] });
    }

    public override Task<GetItemResponse> GetItemAsync(GetItemRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate) return GetItemLocked(request);
    }

    private Task<GetItemResponse> GetItemLocked(GetItemRequest request)
    {
        using var sink = SinkAllocations.Measure();
        Table(request.TableName).TryGetValue(KeyOf(request.TableName, request.Key), out var item);
        return Task.FromResult(new GetItemResponse { Item = item, IsItemSet = item is not null });
    }

    public override Task<ScanResponse> ScanAsync(ScanRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate) return ScanLocked(request);
    }

    private Task<ScanResponse> ScanLocked(ScanRequest request)
    {
        using var sink = SinkAllocations.Measure();
        var items = Table(request.TableName).Values.ToList();
        return Task.FromResult(new ScanResponse { Items = items, Count = items.Count, LastEvaluatedKey = [] });
    }

    private Dictionary<string, Dictionary<string, AttributeValue>> Table(string name) =>
        _tables.TryGetValue(name, out var table) ? table : throw new ResourceNotFoundException($"Requested resource not found: Table: {name} not found");

    private string KeyOf(string table, Dictionary<string, AttributeValue> item)
    {
        var (hash, range) = _keys[table];
        var h = ScalarOf(item, hash, table);
        if (range is null) return h;
        using var sink = SinkAllocations.Measure();
        return string.Concat(h, "\u0000", ScalarOf(item, range, table));
    }

    private static string ScalarOf(Dictionary<string, AttributeValue> item, string attribute, string table) =>
        item.TryGetValue(attribute, out var v) && (v.S ?? v.N) is { Length: > 0 } s
            ? s
            : throw Validation($"One of the required keys was not given a value ({table}.{attribute})");

    private static AmazonDynamoDBException Validation(string message) =>
        new(message) { ErrorCode = "ValidationException" };
}

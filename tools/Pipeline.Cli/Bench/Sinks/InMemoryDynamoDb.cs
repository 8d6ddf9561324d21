using System.Buffers;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;

namespace Pipelines.Cli.Bench.Sinks;

/// <summary>
/// The real SDK client with the calls the functions make answered in memory, so a benchmark measures the function's
/// own work up to the fully built request (items, BatchWriteItem bodies, conditional updates) and no network.
/// Items are kept by table and key, and the few expressions the functions send are evaluated, so a conditional claim
/// behaves as DynamoDB would (first claim wins, a second claimant gets ConditionalCheckFailedException).
/// Items are held compactly, as DynamoDB JSON in each table's <see cref="ItemArena"/>: a run's tens of thousands of
/// items would otherwise be SDK objects the GC promotes and copies while the measured function runs, a cost the
/// function does not have in production, where the items live in DynamoDB. SDK dictionaries are materialised only on
/// the rare read paths. <see cref="InMemoryDynamoDbJsonEndpoint"/> writes and reads the JSON directly.
/// Every answer completes synchronously and allocates as little as possible, so the sink's cost stays out of the figure.
/// Thread-safe (one lock), as functions write chunks in parallel.
/// </summary>
internal sealed class InMemoryDynamoDb : AmazonDynamoDBClient
{
    private static readonly Task<BatchWriteItemResponse> BatchWritten = Task.FromResult(new BatchWriteItemResponse { UnprocessedItems = [] });
    private static readonly Task<PutItemResponse> Put = Task.FromResult(new PutItemResponse());
    private static readonly Task<UpdateItemResponse> UpdatedWithoutOld = Task.FromResult(new UpdateItemResponse());

    private readonly Lock _gate = new();
    private readonly Dictionary<string, StoredTable> _tables = new(StringComparer.Ordinal);
    private readonly ItemKeys _keys = new();

    // SDK items are written as JSON here before they are stored (under the lock, so one of each serves every caller).
    private readonly ArrayBufferWriter<byte> _json = new(1024);
    private readonly Utf8JsonWriter _jsonWriter;

    /// <param name="keySchema">Table name -> its hash key (and range key) attribute names.</param>
    public InMemoryDynamoDb(IReadOnlyDictionary<string, (string Hash, string? Range)> keySchema)
        : base(new BasicAWSCredentials("bench", "bench"), new AmazonDynamoDBConfig { ServiceURL = "http://127.0.0.1:9", AuthenticationRegion = "us-east-1" })
    {
        foreach (var (table, (hash, range)) in keySchema) _tables[table] = new StoredTable(table, hash, range);
        _jsonWriter = new Utf8JsonWriter(_json);
    }

    public long BatchWriteCalls { get; private set; }

    public long ItemsWritten { get; private set; }

    public long ConditionalFailures { get; private set; }

    /// <summary>Items currently held by <paramref name="table"/>, as fresh SDK dictionaries.</summary>
    public IReadOnlyCollection<Dictionary<string, AttributeValue>> Items(string table)
    {
        lock (_gate) return ReadAll(Table(table));
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
        lock (_gate) Store(Table(table), item);
    }

    public override Task<BatchWriteItemResponse> BatchWriteItemAsync(BatchWriteItemRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var sink = SinkAllocations.Measure();
        lock (_gate) return BatchWriteItemLocked(request);
    }

    private Task<BatchWriteItemResponse> BatchWriteItemLocked(BatchWriteItemRequest request)
    {
        BatchWriteCalls++;
        // DynamoDB checks the whole request before it writes anything.
        foreach (var (tableName, writes) in request.RequestItems)
        {
            if (writes.Count > 25) throw DynamoErrors.Validation($"BatchWriteItem carries {writes.Count} requests; the limit is 25");
            var table = Table(tableName);
            foreach (var write in writes)
            {
                if (write.PutRequest is { } put) _keys.Of(table, put.Item);
                else if (write.DeleteRequest is { } delete) _keys.Of(table, delete.Key);
            }
        }
        foreach (var (tableName, writes) in request.RequestItems)
        {
            var table = Table(tableName);
            foreach (var write in writes)
            {
                if (write.PutRequest is { } put)
                {
                    Store(table, put.Item);
                    ItemsWritten++;
                }
                else if (write.DeleteRequest is { } delete)
                {
                    table.Remove(_keys.Of(table, delete.Key));
                }
            }
        }
        return BatchWritten;
    }

    public override Task<PutItemResponse> PutItemAsync(PutItemRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.IsNullOrEmpty(request.ConditionExpression)) throw new NotSupportedException("conditional PutItem is not used by any function");
        using var sink = SinkAllocations.Measure();
        lock (_gate)
        {
            Store(Table(request.TableName), request.Item);
            ItemsWritten++;
        }
        return Put;
    }

    public override Task<UpdateItemResponse> UpdateItemAsync(UpdateItemRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var sink = SinkAllocations.Measure();
        lock (_gate) return UpdateItemLocked(request);
    }

    private Task<UpdateItemResponse> UpdateItemLocked(UpdateItemRequest request)
    {
        var table = Table(request.TableName);
        var old = table.TryGet(_keys.Of(table, request.Key), out var stored) ? DynamoItemJson.Read(stored) : null;
        var values = request.ExpressionAttributeValues ?? [];
        if (!string.IsNullOrEmpty(request.ConditionExpression) && !UpdateExpressions.ConditionHolds(request.ConditionExpression, old, values))
        {
            ConditionalFailures++;
            throw new ConditionalCheckFailedException("The conditional request failed");
        }

        var updated = new Dictionary<string, AttributeValue>(old ?? request.Key, StringComparer.Ordinal);
        UpdateExpressions.ApplySet(request.UpdateExpression, updated, values);
        Store(table, updated);
        ItemsWritten++;
        return old is not null && request.ReturnValues == ReturnValue.ALL_OLD
            ? Task.FromResult(new UpdateItemResponse { Attributes = old })
            : UpdatedWithoutOld;
    }

    public override Task<BatchGetItemResponse> BatchGetItemAsync(BatchGetItemRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var sink = SinkAllocations.Measure();
        lock (_gate) return BatchGetItemLocked(request);
    }

    private Task<BatchGetItemResponse> BatchGetItemLocked(BatchGetItemRequest request)
    {
        var responses = new Dictionary<string, List<Dictionary<string, AttributeValue>>>(StringComparer.Ordinal);
        foreach (var (tableName, wanted) in request.RequestItems)
        {
            var table = Table(tableName);
            var found = new List<Dictionary<string, AttributeValue>>();
            foreach (var k in wanted.Keys)
                if (table.TryGet(_keys.Of(table, k), out var item)) found.Add(DynamoItemJson.Read(item));
            responses[tableName] = found;
        }
        return Task.FromResult(new BatchGetItemResponse { Responses = responses, UnprocessedKeys = [] });
    }

    public override Task<GetItemResponse> GetItemAsync(GetItemRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var sink = SinkAllocations.Measure();
        lock (_gate)
        {
            var table = Table(request.TableName);
            var item = table.TryGet(_keys.Of(table, request.Key), out var stored) ? DynamoItemJson.Read(stored) : null;
            return Task.FromResult(new GetItemResponse { Item = item, IsItemSet = item is not null });
        }
    }

    public override Task<ScanResponse> ScanAsync(ScanRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var sink = SinkAllocations.Measure();
        lock (_gate)
        {
            var items = ReadAll(Table(request.TableName));
            return Task.FromResult(new ScanResponse { Items = items, Count = items.Count, LastEvaluatedKey = [] });
        }
    }

    /// <summary>
    /// BatchWriteItem as DynamoDB JSON: <paramref name="writes"/> are the puts' items and the deletes' keys within
    /// <paramref name="body"/>. Checks all of them (the 25-requests limit per table, tables, keys) before it writes.
    /// </summary>
    internal void BatchWrite(ReadOnlySpan<byte> body, List<JsonWrite> writes)
    {
        lock (_gate)
        {
            BatchWriteCalls++;
            string? last = null;
            var run = 0;
            foreach (var write in writes)
            {
                run = write.Table == last ? run + 1 : 1;
                last = write.Table;
                if (run > 25)
                    throw DynamoErrors.Validation($"BatchWriteItem carries {writes.Count(w => w.Table == write.Table)} requests; the limit is 25");
                _keys.Of(Table(write.Table), body.Slice(write.Start, write.Length));
            }
            foreach (var write in writes)
            {
                var table = Table(write.Table);
                var json = body.Slice(write.Start, write.Length);
                if (write.IsPut)
                {
                    table.Put(_keys.Of(table, json), json);
                    ItemsWritten++;
                }
                else
                {
                    table.Remove(_keys.Of(table, json));
                }
            }
        }
    }

    /// <summary>
    /// A put of a DynamoDB JSON item conditioned on <c>attribute_not_exists(<paramref name="absentAttribute"/>)</c>:
    /// false (a conditional failure) when an item with that key has the attribute.
    /// </summary>
    internal bool TryInsert(string tableName, ReadOnlySpan<byte> item, string absentAttribute)
    {
        lock (_gate)
        {
            var table = Table(tableName);
            var key = _keys.Of(table, item);
            if (table.TryGet(key, out var old) && DynamoItemJson.Has(old, absentAttribute))
            {
                ConditionalFailures++;
                return false;
            }
            table.Put(key, item);
            ItemsWritten++;
            return true;
        }
    }

    /// <summary>
    /// BatchGetItem's answer for one table as DynamoDB JSON: the items found for <paramref name="keys"/> (DynamoDB JSON
    /// keys within <paramref name="body"/>), cut to <paramref name="projection"/> when given, as a JSON array.
    /// </summary>
    internal void WriteFound(string tableName, ReadOnlySpan<byte> body, List<Range> keys, string[]? projection, Utf8JsonWriter output)
    {
        lock (_gate)
        {
            var table = Table(tableName);
            output.WriteStartArray(tableName);
            foreach (var range in keys)
            {
                if (!table.TryGet(_keys.Of(table, body[range]), out var item)) continue;
                if (projection is null) output.WriteRawValue(item, skipInputValidation: true);
                else DynamoItemJson.WriteProjected(output, item, projection);
            }
            output.WriteEndArray();
        }
    }

    private void Store(StoredTable table, Dictionary<string, AttributeValue> item)
    {
        var key = _keys.Of(table, item); // checked before anything is written
        _json.ResetWrittenCount();
        _jsonWriter.Reset();
        DynamoItemJson.Write(_jsonWriter, item);
        _jsonWriter.Flush();
        table.Put(key, _json.WrittenSpan);
    }

    private static List<Dictionary<string, AttributeValue>> ReadAll(StoredTable table)
    {
        var items = new List<Dictionary<string, AttributeValue>>(table.Count);
        foreach (var slot in table.Items) items.Add(DynamoItemJson.Read(table[slot]));
        return items;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _jsonWriter.Dispose();
        base.Dispose(disposing);
    }

    private StoredTable Table(string name) =>
        _tables.TryGetValue(name, out var table) ? table : throw DynamoErrors.TableNotFound(name);
}

/// <summary>One request of a BatchWriteItem body: the put's item or the delete's key, at <see cref="Start"/> in the body.</summary>
internal readonly record struct JsonWrite(string Table, bool IsPut, int Start, int Length);

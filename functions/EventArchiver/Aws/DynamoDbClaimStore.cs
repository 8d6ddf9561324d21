using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Pipelines.Events.Archiving;
using Pipelines.Events.Domain;
using Pipelines.Shared.Aws;
using Pipelines.Shared.Aws.DynamoDb;

namespace Pipelines.Events.Aws;

/// <summary>
/// The dedup table (hash key <c>event_uuid</c>, TTL attribute <c>expires_at</c>). Two kinds of item:
/// a claim per uuid <c>{event_uuid, claimed_by: "shard:seq", object_key?, expires_at}</c>, and a placement per
/// duplicate record <c>{event_uuid: "&lt;uuid&gt;#dup#shard:seq", object_key, expires_at}</c> (a canonical uuid never
/// contains '#', so the two never collide). Claims are conditional writes; placements are batched puts.
/// The per-record calls (UpdateItem, BatchWriteItem) go over DynamoDB's JSON 1.0 protocol with bodies written straight
/// into pooled buffers (the SDK's request objects cost ~2.7 KB per record); the rare duplicate lookup (BatchGetItem)
/// stays on the SDK client. Each call is sent once: the archiver retries transient errors around every store call.
/// </summary>
internal sealed class DynamoDbClaimStore : IClaimStore
{
    /// <summary>DynamoDB's AWS JSON protocol: <c>X-Amz-Target: DynamoDB_20120810.&lt;operation&gt;</c>, JSON 1.0.</summary>
    public const string TargetPrefix = "DynamoDB_20120810";

    private const string KeyAttribute = DynamoAttributes.Key;
    private const string ObjectKeyAttribute = DynamoAttributes.ObjectKey;
    private const int BatchGetLimit = 100;
    private const int MaxUnprocessedRounds = 8;

    private readonly AwsJsonClient _json;
    private readonly IAmazonDynamoDB _dynamo;
    private readonly string _table;
    private readonly JsonEncodedText _encodedTable;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;

    /// <param name="json">The signed JSON client (target prefix <see cref="TargetPrefix"/>, JSON 1.0) for claims and placements.</param>
    /// <param name="dynamo">The SDK client, for the duplicate lookup.</param>
    /// <param name="delay">Waits between UnprocessedItems rounds (tests pass one that does not sleep).</param>
    public DynamoDbClaimStore(AwsJsonClient json, IAmazonDynamoDB dynamo, string table, Func<TimeSpan, CancellationToken, Task>? delay = null)
    {
        _json = json ?? throw new ArgumentNullException(nameof(json));
        _dynamo = dynamo ?? throw new ArgumentNullException(nameof(dynamo));
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        _table = table;
        _encodedTable = JsonEncodedText.Encode(table);
        _delay = delay ?? Task.Delay;
    }

    /// <summary>A store over DynamoDB at <paramref name="options"/> (through <paramref name="httpClient"/> when given: tests, benchmarks).</summary>
    public static DynamoDbClaimStore Create(AwsClientOptions options, IAmazonDynamoDB dynamo, string table, HttpClient? httpClient = null) =>
        new(httpClient is null
                ? new AwsJsonClient(options, TargetPrefix, "1.0")
                : new AwsJsonClient(options, TargetPrefix, "1.0", httpClient),
            dynamo,
            table);

    public async Task<ClaimResult> ClaimAsync(string uuidKey, RecordId claimant, long expiresAtEpochSeconds, CancellationToken cancellationToken)
    {
        byte[] response;
        try
        {
            using var body = ClaimRequest.Write(_encodedTable, uuidKey, claimant, expiresAtEpochSeconds);
            response = await _json.SendRawOnceAsync("UpdateItem", body.Memory, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsServiceException e) when (e.ErrorCode == "ConditionalCheckFailedException")
        {
            return new ClaimResult(false, null);
        }
        // The old item tells a redelivered claimant where an earlier attempt planned its record.
        return new ClaimResult(true, ClaimRequest.PlacementOf(response));
    }

    public async Task<IReadOnlyDictionary<RecordId, string>> GetDuplicatePlacementsAsync(
        IReadOnlyList<DuplicateRecord> duplicates, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(duplicates);
        var byKey = duplicates.ToDictionary(d => DuplicateKey(d.UuidKey, d.Id), d => d.Id, StringComparer.Ordinal);
        var found = new Dictionary<RecordId, string>();
        foreach (var chunk in byKey.Keys.Chunk(BatchGetLimit))
        {
            var pending = new KeysAndAttributes
            {
                Keys = chunk.Select(k => new Dictionary<string, AttributeValue> { [KeyAttribute] = new() { S = k } }).ToList(),
                ConsistentRead = true, // a plan saved by the previous attempt must be seen
                ProjectionExpression = $"{KeyAttribute}, {ObjectKeyAttribute}",
            };
            for (var round = 0; pending.Keys.Count > 0; round++)
            {
                if (round == MaxUnprocessedRounds)
                    throw new IOException($"DynamoDB left {pending.Keys.Count} keys unprocessed after {round} BatchGetItem rounds.");
                if (round > 0) await _delay(TimeSpan.FromMilliseconds(25 << round), cancellationToken).ConfigureAwait(false);
                var response = await _dynamo.BatchGetItemAsync(
                    new BatchGetItemRequest { RequestItems = new() { [_table] = pending } }, cancellationToken).ConfigureAwait(false);
                if (response.Responses?.TryGetValue(_table, out var items) == true)
                    foreach (var item in items)
                        if (ObjectKeyOf(item) is { } objectKey && byKey.TryGetValue(item[KeyAttribute].S, out var id))
                            found[id] = objectKey;
                pending = response.UnprocessedKeys?.TryGetValue(_table, out var left) == true && left.Keys?.Count > 0
                    ? left
                    : new KeysAndAttributes { Keys = [] };
            }
        }
        return found;
    }

    public Task SavePlacementsAsync(IReadOnlyList<Placement> placements, long expiresAtEpochSeconds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(placements);
        // Unconditional puts are safe: a claim item is only ever rewritten by the record holding it (same claimed_by),
        // and a duplicate's item only by that record's own shard.
        var chunks = (placements.Count + PlacementWrites.MaxPerCall - 1) / PlacementWrites.MaxPerCall;
        if (chunks == 1) return WriteChunkAsync(placements, 0, placements.Count, expiresAtEpochSeconds, cancellationToken);
        var writes = new Task[chunks];
        for (var c = 0; c < chunks; c++)
        {
            var start = c * PlacementWrites.MaxPerCall;
            writes[c] = WriteChunkAsync(placements, start, Math.Min(PlacementWrites.MaxPerCall, placements.Count - start), expiresAtEpochSeconds, cancellationToken);
        }
        return Task.WhenAll(writes);
    }

    private async Task WriteChunkAsync(IReadOnlyList<Placement> placements, int start, int count, long expiresAtEpochSeconds, CancellationToken cancellationToken)
    {
        var body = PlacementWrites.Write(_encodedTable, placements, start, count, expiresAtEpochSeconds);
        try
        {
            for (var round = 1; ; round++)
            {
                var response = await _json.SendRawOnceAsync("BatchWriteItem", body.Memory, cancellationToken).ConfigureAwait(false);
                body.Dispose();
                body = default;
                var pending = UnprocessedWrites.Read(response, _table);
                if (pending.Count == 0) return;
                if (round == MaxUnprocessedRounds)
                    throw new IOException($"DynamoDB left {pending.Count} writes unprocessed after {round} BatchWriteItem rounds.");
                await _delay(TimeSpan.FromMilliseconds(25 << round), cancellationToken).ConfigureAwait(false);
                body = PlacementWrites.Resend(_encodedTable, pending);
            }
        }
        finally
        {
            body.Dispose();
        }
    }

    internal static string DuplicateKey(string uuidKey, RecordId id) => $"{uuidKey}#dup#{id}";

    private static string? ObjectKeyOf(Dictionary<string, AttributeValue>? item) =>
        item is not null && item.TryGetValue(ObjectKeyAttribute, out var value) && !string.IsNullOrEmpty(value.S) ? value.S : null;
}

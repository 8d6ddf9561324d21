using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Pipelines.Events.Archiving;
using Pipelines.Events.Domain;

namespace Pipelines.Events.Aws;

/// <summary>
/// The dedup table (hash key <c>event_uuid</c>, TTL attribute <c>expires_at</c>). Two kinds of item:
/// a claim per uuid <c>{event_uuid, claimed_by: "shard:seq", object_key?, expires_at}</c>, and a placement per
/// duplicate record <c>{event_uuid: "&lt;uuid&gt;#dup#shard:seq", object_key, expires_at}</c> (a canonical uuid never
/// contains '#', so the two never collide). Claims are conditional writes; placements are batched puts.
/// </summary>
internal sealed class DynamoDbClaimStore : IClaimStore
{
    private const string KeyAttribute = "event_uuid";
    private const string ClaimedByAttribute = "claimed_by";
    private const string ObjectKeyAttribute = "object_key";
    private const string ExpiresAtAttribute = "expires_at";
    private const int BatchGetLimit = 100;
    private const int BatchWriteLimit = 25;
    private const int MaxUnprocessedRounds = 8;
    private const string ClaimUpdate = $"SET {ClaimedByAttribute} = :me, {ExpiresAtAttribute} = :exp";
    private const string ClaimCondition = $"attribute_not_exists({KeyAttribute}) OR {ClaimedByAttribute} = :me";

    private readonly IAmazonDynamoDB _dynamo;
    private readonly string _table;

    /// <summary>
    /// The expires_at value of the current batch: every claim of an invocation carries the same one, so it is
    /// formatted once, not per claim. Replaced whole (one reference write), so concurrent claims never see it torn.
    /// </summary>
    private ExpiresAt? _expiresAt;

    public DynamoDbClaimStore(IAmazonDynamoDB dynamo, string table)
    {
        _dynamo = dynamo ?? throw new ArgumentNullException(nameof(dynamo));
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        _table = table;
    }

    public async Task<ClaimResult> ClaimAsync(string uuidKey, RecordId claimant, long expiresAtEpochSeconds, CancellationToken cancellationToken)
    {
        var request = new UpdateItemRequest
        {
            TableName = _table,
            Key = new Dictionary<string, AttributeValue>(1) { [KeyAttribute] = new() { S = uuidKey } },
            UpdateExpression = ClaimUpdate,
            ConditionExpression = ClaimCondition,
            ExpressionAttributeValues = new Dictionary<string, AttributeValue>(2)
            {
                [":me"] = new() { S = claimant.ToString() },
                [":exp"] = ExpiresValue(expiresAtEpochSeconds),
            },
            // The old item tells a redelivered claimant where an earlier attempt planned its record.
            ReturnValues = ReturnValue.ALL_OLD,
        };
        try
        {
            var response = await _dynamo.UpdateItemAsync(request, cancellationToken).ConfigureAwait(false);
            return new ClaimResult(true, ObjectKeyOf(response.Attributes));
        }
        catch (ConditionalCheckFailedException)
        {
            return new ClaimResult(false, null);
        }
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
                if (round > 0) await Task.Delay(TimeSpan.FromMilliseconds(25 << round), cancellationToken).ConfigureAwait(false);
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

    public async Task SavePlacementsAsync(IReadOnlyList<Placement> placements, long expiresAtEpochSeconds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(placements);
        var expires = ExpiresValue(expiresAtEpochSeconds);
        // Unconditional puts are safe: a claim item is only ever rewritten by the record holding it (same claimed_by),
        // and a duplicate's item only by that record's own shard.
        // Attribute values are read-only once built, so records planned into the same object share one for its key.
        AttributeValue? objectKey = null;
        var chunks = new List<List<WriteRequest>>((placements.Count + BatchWriteLimit - 1) / BatchWriteLimit);
        foreach (var p in placements)
        {
            if (objectKey?.S != p.ObjectKey) objectKey = new AttributeValue { S = p.ObjectKey };
            var item = p.Kind == ArchiveKind.Events
                ? new Dictionary<string, AttributeValue>(4)
                {
                    [KeyAttribute] = new() { S = p.UuidKey },
                    [ClaimedByAttribute] = new() { S = p.Id.ToString() },
                    [ObjectKeyAttribute] = objectKey,
                    [ExpiresAtAttribute] = expires,
                }
                : new Dictionary<string, AttributeValue>(3)
                {
                    [KeyAttribute] = new() { S = DuplicateKey(p.UuidKey, p.Id) },
                    [ObjectKeyAttribute] = objectKey,
                    [ExpiresAtAttribute] = expires,
                };
            if (chunks.Count == 0 || chunks[^1].Count == BatchWriteLimit) chunks.Add(new List<WriteRequest>(BatchWriteLimit));
            chunks[^1].Add(new WriteRequest { PutRequest = new PutRequest { Item = item } });
        }
        await Task.WhenAll(chunks.Select(chunk => WriteChunkAsync(chunk, cancellationToken))).ConfigureAwait(false);
    }

    private async Task WriteChunkAsync(List<WriteRequest> chunk, CancellationToken cancellationToken)
    {
        var pending = chunk;
        for (var round = 0; pending.Count > 0; round++)
        {
            if (round == MaxUnprocessedRounds)
                throw new IOException($"DynamoDB left {pending.Count} writes unprocessed after {round} BatchWriteItem rounds.");
            if (round > 0) await Task.Delay(TimeSpan.FromMilliseconds(25 << round), cancellationToken).ConfigureAwait(false);
            var response = await _dynamo.BatchWriteItemAsync(
                new BatchWriteItemRequest { RequestItems = new() { [_table] = pending } }, cancellationToken).ConfigureAwait(false);
            pending = response.UnprocessedItems?.TryGetValue(_table, out var left) == true && left is not null ? left : [];
        }
    }

    private AttributeValue ExpiresValue(long epochSeconds)
    {
        var cached = _expiresAt;
        if (cached is null || cached.EpochSeconds != epochSeconds)
            _expiresAt = cached = new ExpiresAt(epochSeconds, new AttributeValue { N = epochSeconds.ToString(CultureInfo.InvariantCulture) });
        return cached.Value;
    }

    private sealed record ExpiresAt(long EpochSeconds, AttributeValue Value);

    internal static string DuplicateKey(string uuidKey, RecordId id) => $"{uuidKey}#dup#{id}";

    private static string? ObjectKeyOf(Dictionary<string, AttributeValue>? item) =>
        item is not null && item.TryGetValue(ObjectKeyAttribute, out var value) && !string.IsNullOrEmpty(value.S) ? value.S : null;
}

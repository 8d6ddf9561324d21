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
/// contains '#', so the two never collide). Claims are PartiQL INSERTs, 25 per BatchExecuteStatement call; the
/// refusals DynamoDB answered without the item are decided afterwards, a round's worth together, by a consistent read
/// of their holders (<see cref="DecideRefusedAsync"/>); placements are batched puts. The per-record calls (BatchExecuteStatement, BatchWriteItem, the holder reads) go over DynamoDB's JSON 1.0
/// protocol with bodies written straight into pooled buffers (the SDK's request objects cost ~2.7 KB per record);
/// the rare duplicate lookup (BatchGetItem) stays on the SDK client. A call that fails as a whole is thrown, once:
/// the archiver retries transient errors around every store call. Statements DynamoDB throttled are sent again here.
/// </summary>
internal sealed class DynamoDbClaimStore : IClaimStore
{
    /// <summary>DynamoDB's AWS JSON protocol: <c>X-Amz-Target: DynamoDB_20120810.&lt;operation&gt;</c>, JSON 1.0.</summary>
    public const string TargetPrefix = "DynamoDB_20120810";

    private const string KeyAttribute = DynamoAttributes.Key;
    private const string ObjectKeyAttribute = DynamoAttributes.ObjectKey;
    private const int BatchGetLimit = 100;
    private const int MaxUnprocessedRounds = 8;

    /// <summary>Rounds of INSERTs per claim (the first, then resends of throttled statements), and of holder reads per
    /// refused claim (the first, then reads after claiming again a uuid whose holder vanished).</summary>
    private const int MaxClaimRounds = 8;

    private readonly AwsJsonClient _json;
    private readonly IAmazonDynamoDB _dynamo;
    private readonly string _table;
    private readonly JsonEncodedText _encodedTable;
    private readonly ClaimStatements _statements;
    private readonly Func<TimeSpan, CancellationToken, Task> _delay;

    /// <param name="json">The signed JSON client (target prefix <see cref="TargetPrefix"/>, JSON 1.0) for claims and placements.</param>
    /// <param name="dynamo">The SDK client, for the duplicate lookup.</param>
    /// <param name="table">The dedup table's name (a valid DynamoDB table name: it goes into the claim statement).</param>
    /// <param name="delay">Waits between rounds of resends (tests pass one that does not sleep).</param>
    public DynamoDbClaimStore(AwsJsonClient json, IAmazonDynamoDB dynamo, string table, Func<TimeSpan, CancellationToken, Task>? delay = null)
    {
        _json = json ?? throw new ArgumentNullException(nameof(json));
        _dynamo = dynamo ?? throw new ArgumentNullException(nameof(dynamo));
        ArgumentException.ThrowIfNullOrWhiteSpace(table);
        _statements = new ClaimStatements(table);
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

    public int MaxClaimsPerCall => ClaimStatements.MaxPerCall;

    public int MaxPlacementsPerCall => PlacementWrites.MaxPerCall;

    public async Task<IReadOnlyList<ClaimOutcome>> ClaimAsync(
        IReadOnlyList<ClaimAttempt> attempts, long expiresAtEpochSeconds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(attempts.Count, ClaimStatements.MaxPerCall, nameof(attempts));
        var outcomes = new ClaimOutcome[attempts.Count];
        if (attempts.Count == 0) return outcomes;
        var pending = new List<int>(attempts.Count);
        for (var i = 0; i < attempts.Count; i++) pending.Add(i);
        StatementError[]? lastErrors = null; // why a claim is being sent again

        for (var round = 1; ; round++)
        {
            List<int>? again = null;
            List<StatementError>? errors;
            using (var body = _statements.Write(attempts, pending, expiresAtEpochSeconds))
            {
                var response = await _json.SendRawOnceAsync("BatchExecuteStatement", body.Memory, cancellationToken).ConfigureAwait(false);
                errors = StatementErrors.Read(response, pending.Count);
            }
            var nextError = 0;
            for (var k = 0; k < pending.Count; k++)
            {
                var i = pending[k];
                if (errors is null || nextError == errors.Count || errors[nextError].Index != k)
                {
                    outcomes[i] = ClaimOutcome.Won(null); // inserted: a fresh claim, planned nowhere yet
                    continue;
                }
                var error = errors[nextError++];
                if (StatementCodes.IsHeld(error.Code))
                {
                    // Without the item, the caller reads the holders of a whole round's refusals at once.
                    outcomes[i] = error.Item is { } item ? Decide(attempts[i], item) : ClaimOutcome.Refused;
                }
                else if (StatementCodes.IsRetryable(error.Code))
                {
                    (again ??= []).Add(i);
                    (lastErrors ??= new StatementError[attempts.Count])[i] = error;
                }
                else
                {
                    outcomes[i] = ClaimOutcome.Failed(Rejection(attempts[i], error, "refused"));
                }
            }

            if (again is null) return outcomes;
            if (round == MaxClaimRounds)
            {
                foreach (var i in again)
                    outcomes[i] = ClaimOutcome.Failed(Rejection(attempts[i], lastErrors![i], $"still refused after {round} BatchExecuteStatement rounds"));
                return outcomes;
            }
            await _delay(TimeSpan.FromMilliseconds(25 << round), cancellationToken).ConfigureAwait(false);
            pending = again; // in request order
        }
    }

    public async Task<IReadOnlyList<ClaimOutcome>> DecideRefusedAsync(
        IReadOnlyList<ClaimAttempt> refused, long expiresAtEpochSeconds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refused);
        var outcomes = new ClaimOutcome[refused.Count];
        if (refused.Count == 0) return outcomes;
        var unread = new List<int>(refused.Count);
        for (var i = 0; i < refused.Count; i++) unread.Add(i);
        for (var round = 1; ; round++)
        {
            var holders = await ReadHoldersAsync(refused, unread, cancellationToken).ConfigureAwait(false);
            List<int>? vanished = null;
            foreach (var i in unread)
            {
                if (holders.TryGetValue(refused[i].UuidKey, out var holder)) outcomes[i] = Decide(refused[i], holder);
                else (vanished ??= []).Add(i); // the item expired (TTL) between the refusal and the read: the uuid is free again
            }
            if (vanished is null) return outcomes;
            if (round == MaxClaimRounds)
            {
                foreach (var i in vanished)
                    outcomes[i] = ClaimOutcome.Failed(new IOException(
                        $"The claim item of {refused[i].UuidKey} vanished between refusal and read in {round} BatchGetItem rounds."));
                return outcomes;
            }
            await _delay(TimeSpan.FromMilliseconds(25 << round), cancellationToken).ConfigureAwait(false);
            // Ask again; a claim refused once more without its holder is read in the next round.
            unread = [];
            foreach (var chunk in vanished.Chunk(ClaimStatements.MaxPerCall))
            {
                var attempts = Array.ConvertAll(chunk, i => refused[i]);
                var again = await ClaimAsync(attempts, expiresAtEpochSeconds, cancellationToken).ConfigureAwait(false);
                for (var k = 0; k < chunk.Length; k++)
                {
                    if (again[k].Verdict == ClaimVerdict.Refused) unread.Add(chunk[k]);
                    else outcomes[chunk[k]] = again[k];
                }
            }
            if (unread.Count == 0) return outcomes;
        }
    }

    /// <summary>The claimant holds the uuid iff the item names it (a redelivery; its plan, if any, is on the item).</summary>
    private static ClaimOutcome Decide(ClaimAttempt attempt, ClaimItem holder) =>
        holder.ClaimedBy is { } claimedBy && attempt.Claimant.TextEquals(claimedBy)
            ? ClaimOutcome.Won(string.IsNullOrEmpty(holder.ObjectKey) ? null : holder.ObjectKey)
            : ClaimOutcome.Lost;

    private static AwsServiceException Rejection(ClaimAttempt attempt, StatementError error, string what) =>
        new(error.Code, 200,
            $"DynamoDB {what} the claim of {attempt.UuidKey} by {attempt.Claimant}: {error.Code}: {error.Message ?? "(no message)"}",
            operation: TargetPrefix + ".BatchExecuteStatement")
        {
            ServiceMessage = error.Message,
        };

    /// <summary>The items holding the uuids of <paramref name="attempts"/>[<paramref name="indexes"/>], by uuid (absent: no item).</summary>
    private async Task<Dictionary<string, ClaimItem>> ReadHoldersAsync(
        IReadOnlyList<ClaimAttempt> attempts, List<int> indexes, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, ClaimItem>(indexes.Count, StringComparer.Ordinal);
        for (var start = 0; start < indexes.Count; start += HolderReads.MaxKeysPerCall)
        {
            var body = HolderReads.Write(_encodedTable, attempts, indexes, start, Math.Min(HolderReads.MaxKeysPerCall, indexes.Count - start));
            try
            {
                for (var round = 1; ; round++)
                {
                    var response = await _json.SendRawOnceAsync("BatchGetItem", body.Memory, cancellationToken).ConfigureAwait(false);
                    body.Dispose();
                    body = default;
                    var (unprocessed, keys) = HolderReads.Read(response, _table, found);
                    if (keys == 0) break;
                    if (round == MaxUnprocessedRounds)
                        throw new IOException($"DynamoDB left {keys} keys unprocessed after {round} BatchGetItem rounds.");
                    await _delay(TimeSpan.FromMilliseconds(25 << round), cancellationToken).ConfigureAwait(false);
                    body = HolderReads.Resend(unprocessed.Span);
                }
            }
            finally
            {
                body.Dispose();
            }
        }
        return found;
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

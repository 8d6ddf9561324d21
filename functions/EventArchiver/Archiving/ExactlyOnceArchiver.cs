using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Pipelines.Events.Domain;
using Pipelines.Shared.Resilience;

namespace Pipelines.Events.Archiving;

// Exactly-once archiving, and why it holds.
//
// Goal: each uuid's first occurrence exactly once under events/, every later distinct record (new shard+sequence
// number) with that uuid exactly once under duplicated/, whatever Lambda does: redeliver a batch, retry from a
// reported failure, bisect, retry with a larger batch, or run two shards carrying the same uuid at once.
//
// Why not the sketch "name each group object after its first record in this invocation": the name is a function of
// the attempt, not of the content. Attempt 1 writes G(r2)={r2,r5,r9}; its half [r1..r5] later exhausts its retries
// (or ages out) and is skipped, and the half starting at r6 writes G(r9)={r9}: r9 is now in two objects. It also
// needs every retry to restart at the batch's first record, redoing work that already succeeded.
//
// This design:
//  1. Classify with a compare-and-set claim per uuid: claimed_by = this record's shard:seq, condition
//     attribute_not_exists(event_uuid) OR claimed_by = :me, with expires_at as the TTL (the dedup horizon). The
//     claim never changes hands, so a record's class is the same in every attempt and in every shard; records with
//     the same uuid are claimed in sequence order, so the earliest in a shard wins against its own later copies.
//  2. Name objects by content: partition + SHA-256 of the sorted (shard, seq) of the records written. A record's
//     line is a pure function of its immutable Kinesis data, so a name fixes the bytes: rewriting a name is a no-op
//     and two different record sets never share one.
//  3. Plan before writing: each record's object name is stored durably (on its claim item; on a per-duplicate
//     item) BEFORE the object is put. A later attempt skips a record only when its planned object EXISTS (HEAD),
//     and re-plans it only when that object does not exist.
// Proof sketch: an object contains r only if r was planned into it before the put (3). Once r's planned object
// exists, r's plan never changes (3) and objects are never deleted, so r is in exactly that object from then on;
// a record is acknowledged only after its planned object was put or seen to exist. With one invocation at a time
// per shard (Lambda's guarantee for a Kinesis mapping) and no put left in flight after an invocation ends (puts
// are bounded by the invocation's time), no attempt can put an older plan after a newer one was chosen.
// Cost: the common path is one claim write and one plan write per record, one PUT per (kind, type, date) group,
// and no S3 reads; HEADs happen only for records an earlier attempt had planned.
// The failure reported is the first record not durably handled, so retries resume there, not at the batch start.

/// <summary>Claims, plans and writes one batch of valid events exactly once (see the design note above).</summary>
internal sealed class ExactlyOnceArchiver
{
    private readonly IClaimStore _claims;
    private readonly IArchiveStore _archive;
    private readonly ArchiverOptions _options;

    public ExactlyOnceArchiver(IClaimStore claims, IArchiveStore archive, ArchiverOptions options)
    {
        _claims = claims ?? throw new ArgumentNullException(nameof(claims));
        _archive = archive ?? throw new ArgumentNullException(nameof(archive));
        _options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <param name="records">Valid events in batch (sequence) order.</param>
    /// <param name="now">Start of the invocation; claims expire <see cref="ArchiverOptions.DedupHorizon"/> later.</param>
    /// <param name="stopStarting">Once cancelled, no new sink call starts (the invocation is near its deadline);
    /// records not yet archived are reported as failed.</param>
    /// <param name="cancellationToken">Abandons the invocation outright.</param>
    public async Task<ArchiveOutcome> ArchiveAsync(
        IReadOnlyList<ArchiveRecord> records, DateTimeOffset now, CancellationToken stopStarting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        var work = new ArchiveWork[records.Count];
        for (var i = 0; i < work.Length; i++) work[i] = new ArchiveWork(records[i]);
        var run = new Run(now.Add(_options.DedupHorizon).ToUnixTimeSeconds(), stopStarting, cancellationToken);

        await ClassifyAsync(work, run);
        await LoadDuplicatePlacementsAsync(work, run);
        var groups = PartitionGroups(work);
        await BoundedParallel.ForEachAsync(
            groups.Count, _options.MaxParallelGroups, (Archiver: this, Groups: groups, Run: run),
            static (s, i) => s.Archiver.WriteGroupAsync(s.Groups[i].Key, s.Groups[i].Value, s.Run), cancellationToken);

        var statuses = new RecordStatus[work.Length];
        var kinds = new ArchiveKind?[work.Length];
        for (var i = 0; i < work.Length; i++)
        {
            statuses[i] = work[i].Status ?? RecordStatus.Failed;
            kinds[i] = work[i].Kind;
        }
        return new ArchiveOutcome(statuses, kinds, run.ObjectsWritten, [.. run.Errors]);
    }

    /// <summary>Step 1: claim each uuid, its records in sequence order, until one of them holds it.</summary>
    private Task ClassifyAsync(ArchiveWork[] work, Run run)
    {
        var chains = UuidChains.Of(work);
        return BoundedParallel.ForEachAsync(
            chains.Count, _options.MaxParallelClaims, (Archiver: this, Chains: chains, Run: run),
            static (s, i) => s.Archiver.ClaimChainAsync(s.Chains[i], s.Run), run.Cancel);
    }

    /// <summary>Claims for one uuid's records (earliest first); the rest of the chain is decided by who holds it.</summary>
    private async Task ClaimChainAsync(ArraySegment<ArchiveWork> chain, Run run)
    {
        var holderFound = false;
        for (var i = 0; i < chain.Count; i++)
        {
            var w = chain[i];
            if (holderFound)
            {
                // An earlier record of this batch holds the uuid, so this one cannot: no need to ask.
                w.Kind = ArchiveKind.Duplicated;
                continue;
            }
            try
            {
                run.ThrowIfStopping();
                var claim = await Retry.ExecuteAsync(
                    ct => _claims.ClaimAsync(w.Record.Event.UuidKey, w.Record.Id, run.ExpiresAt, ct), _options.Retry, run.Cancel);
                w.Kind = claim.Won ? ArchiveKind.Events : ArchiveKind.Duplicated;
                w.Placement = claim.Won ? claim.Placement : null;
                holderFound = claim.Won;
            }
            catch (Exception e) when (!run.Cancel.IsCancellationRequested)
            {
                // Later records of this uuid must not be classified before this one: they wait with it.
                run.Error("claim", chain.Count - i, e);
                for (var j = i; j < chain.Count; j++) chain[j].Fail();
                return;
            }
        }
    }

    /// <summary>Step 1b: where earlier attempts planned the duplicates (only redelivered ones have a plan).</summary>
    private async Task LoadDuplicatePlacementsAsync(ArchiveWork[] work, Run run)
    {
        var duplicates = work.Where(w => w.Kind == ArchiveKind.Duplicated && w.Status is null).ToList();
        if (duplicates.Count == 0) return;
        try
        {
            run.ThrowIfStopping();
            var keys = duplicates.Select(w => new DuplicateRecord(w.Record.Event.UuidKey, w.Record.Id)).ToList();
            var placements = await Retry.ExecuteAsync(
                ct => _claims.GetDuplicatePlacementsAsync(keys, ct), _options.Retry, run.Cancel);
            foreach (var w in duplicates)
                w.Placement = placements.TryGetValue(w.Record.Id, out var key) ? key : null;
        }
        catch (Exception e) when (!run.Cancel.IsCancellationRequested)
        {
            run.Error("duplicate-lookup", duplicates.Count, e);
            foreach (var w in duplicates) w.Fail();
        }
    }

    /// <summary>The classified, undecided records by (kind, type, date) partition, each group in batch order.</summary>
    private static List<KeyValuePair<ArchivePartition, List<ArchiveWork>>> PartitionGroups(ArchiveWork[] work)
    {
        var groups = new Dictionary<ArchivePartition, List<ArchiveWork>>();
        foreach (var w in work)
        {
            if (w.Kind is not { } kind || w.Status is not null) continue;
            var partition = new ArchivePartition(kind, w.Record.Event.EventType, w.Record.Event.CreatedDate);
            ref var members = ref CollectionsMarshal.GetValueRefOrAddDefault(groups, partition, out _);
            (members ??= []).Add(w);
        }
        return [.. groups];
    }

    /// <summary>Steps 2 and 3 for one (kind, type, date) group: skip what exists, plan the rest, put one object.</summary>
    private async Task WriteGroupAsync(ArchivePartition partition, List<ArchiveWork> members, Run run)
    {
        // Records an earlier attempt planned (redeliveries only): done if (and only if) that object exists.
        if (members.Exists(w => w.Placement is not null)) await SkipExistingAsync(members, run);

        var toWrite = members.TrueForAll(w => w.Status is null) ? members : members.FindAll(w => w.Status is null);
        if (toWrite.Count == 0) return;
        SortBySequence(toWrite);
        var ids = new RecordId[toWrite.Count];
        for (var i = 0; i < ids.Length; i++) ids[i] = toWrite[i].Record.Id;
        var objectKey = GroupObjectName.For(partition, ids);
        try
        {
            run.ThrowIfStopping();
            var plans = new List<Placement>(toWrite.Count);
            foreach (var w in toWrite)
            {
                if (!string.Equals(w.Placement, objectKey, StringComparison.Ordinal))
                    plans.Add(new Placement(w.Record.Event.UuidKey, w.Record.Id, partition.Kind, objectKey));
            }
            if (plans.Count > 0)
                await Retry.ExecuteAsync(ct => _claims.SavePlacementsAsync(plans, run.ExpiresAt, ct), _options.Retry, run.Cancel);
            foreach (var w in toWrite) w.Placement = objectKey;

            run.ThrowIfStopping();
            var lines = new ReadOnlyMemory<byte>[toWrite.Count];
            for (var i = 0; i < lines.Length; i++) lines[i] = toWrite[i].Record.Event.Line;
            var body = NdjsonBody.Rent(lines, out var length);
            try
            {
                await Retry.ExecuteAsync(ct => _archive.PutAsync(objectKey, body.AsMemory(0, length), ct), _options.Retry, run.Cancel);
            }
            finally
            {
                NdjsonBody.Return(body); // every attempt has completed: nothing reads the body any more
            }
            Interlocked.Increment(ref run.ObjectsWritten);
            foreach (var w in toWrite) w.Status = RecordStatus.Written;
        }
        catch (Exception e) when (!run.Cancel.IsCancellationRequested)
        {
            run.Error(partition.Prefix, toWrite.Count, e);
            foreach (var w in toWrite) w.Fail();
        }
    }

    /// <summary>Marks the planned records whose object exists as already archived (one HEAD per planned object).</summary>
    private async Task SkipExistingAsync(List<ArchiveWork> members, Run run)
    {
        var planned = members.Where(w => w.Placement is not null).GroupBy(w => w.Placement!, StringComparer.Ordinal);
        foreach (var byObject in planned)
        {
            try
            {
                run.ThrowIfStopping();
                var exists = await Retry.ExecuteAsync(ct => _archive.ExistsAsync(byObject.Key, ct), _options.Retry, run.Cancel);
                if (exists)
                    foreach (var w in byObject) w.Status = RecordStatus.AlreadyArchived;
            }
            catch (Exception e) when (!run.Cancel.IsCancellationRequested)
            {
                run.Error("exists", byObject.Count(), e);
                foreach (var w in byObject) w.Fail();
            }
        }
    }

    /// <summary>Records of one shard arrive in sequence order, so the check usually spares the sort.</summary>
    private static void SortBySequence(List<ArchiveWork> records)
    {
        for (var i = 1; i < records.Count; i++)
        {
            if (ArchiveWork.SequenceOrder.Compare(records[i - 1], records[i]) > 0)
            {
                records.Sort(ArchiveWork.SequenceOrder);
                return;
            }
        }
    }

    private sealed class Run(long expiresAt, CancellationToken stopStarting, CancellationToken cancel)
    {
        public long ExpiresAt { get; } = expiresAt;

        public CancellationToken Cancel { get; } = cancel;

        public int ObjectsWritten;

        public ConcurrentQueue<ArchiveError> Errors { get; } = new();

        public void ThrowIfStopping()
        {
            if (stopStarting.IsCancellationRequested)
                throw new TimeoutException("The invocation is close to its deadline; no new sink calls are started.");
        }

        public void Error(string stage, int records, Exception exception) =>
            Errors.Enqueue(new ArchiveError(stage, records, exception));
    }
}

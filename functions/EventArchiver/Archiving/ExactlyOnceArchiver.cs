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
//  1. Classify with a compare-and-set claim per uuid: insert {event_uuid, claimed_by = this record's shard:seq,
//     expires_at} only if no item has that uuid (expires_at is the TTL: the dedup horizon). When the insert is
//     refused, the holder is read (from the refusal, or with a consistent read): the record holds the uuid iff
//     claimed_by is this record (a redelivery), and an item gone by then (TTL) is claimed again, never guessed.
//     The refusals of a round that came without their holder are read together, after all of the round's calls.
//     The claim never changes hands, so a record's class is the same in every attempt and in every shard. Claims
//     go in rounds of batched calls: round k claims the k-th record of every uuid whose earlier records in this batch
//     all lost, so records with the same uuid are claimed in sequence order and the earliest in a shard wins against
//     its own later copies.
//  2. Name objects by content: partition + SHA-256 of the sorted (shard, seq) of the records written. A record's
//     line is a pure function of its immutable Kinesis data, so a name fixes the bytes: rewriting a name is a no-op
//     and two different record sets never share one.
//  3. Plan before writing: each record's object name is stored durably (on its claim item; on a per-duplicate
//     item) BEFORE the object is put (every group's plans are saved, packed 25 per call, before any put). A later attempt skips a record only when its planned object EXISTS (HEAD),
//     and re-plans it only when that object does not exist.
// Proof sketch: an object contains r only if r was planned into it before the put (3). Once r's planned object
// exists, r's plan never changes (3) and objects are never deleted, so r is in exactly that object from then on;
// a record is acknowledged only after its planned object was put or seen to exist. With one invocation at a time
// per shard (Lambda's guarantee for a Kinesis mapping) and no put left in flight after an invocation ends (puts
// are bounded by the invocation's time), no attempt can put an older plan after a newer one was chosen.
// Cost: the common path is one claim write and one plan write per record (25 of each per call), one PUT per
// (kind, type, date) group, and no S3 reads; holder reads happen only for duplicates, HEADs only for records an
// earlier attempt had planned.
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
        var plans = new GroupPlan?[groups.Count];
        await BoundedParallel.ForEachAsync(
            groups.Count, _options.MaxParallelGroups, (Archiver: this, Groups: groups, Plans: plans, Run: run),
            static async (s, i) => s.Plans[i] = await s.Archiver.PlanGroupAsync(s.Groups[i].Key, s.Groups[i].Value, s.Run), cancellationToken);
        await SavePlansAsync(plans, run);
        await BoundedParallel.ForEachAsync(
            plans.Length, _options.MaxParallelGroups, (Archiver: this, Plans: plans, Run: run),
            static (s, i) => s.Plans[i] is { } plan ? s.Archiver.PutGroupAsync(plan, s.Run) : Task.CompletedTask, cancellationToken);

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
    private async Task ClassifyAsync(ArchiveWork[] work, Run run)
    {
        var round = new ClaimRound(UuidChains.Of(work));
        while (round.Asking.Count > 0)
        {
            var perCall = Math.Max(1, _claims.MaxClaimsPerCall);
            var calls = (round.Asking.Count + perCall - 1) / perCall;
            await BoundedParallel.ForEachAsync(
                calls, _options.MaxParallelClaims, (Archiver: this, Round: round, PerCall: perCall, Run: run),
                static (s, i) =>
                {
                    var start = i * s.PerCall;
                    return s.Archiver.ClaimCallAsync(s.Round, start, Math.Min(s.PerCall, s.Round.Asking.Count - start), s.Run);
                },
                run.Cancel);
            if (round.TakeRefused() is { Length: > 0 } refused) await DecideRefusedAsync(round, refused, run);
            round.Next();
        }
    }

    /// <summary>One store call for chains Asking[start, +count) of this round; each chain's outcome decides its records.</summary>
    private async Task ClaimCallAsync(ClaimRound round, int start, int count, Run run)
    {
        var attempts = new ClaimAttempt[count];
        for (var j = 0; j < count; j++)
        {
            var w = round.Current(round.Asking[start + j]);
            attempts[j] = new ClaimAttempt(w.Record.Event.UuidKey, w.Record.Id);
        }
        IReadOnlyList<ClaimOutcome> outcomes;
        try
        {
            run.ThrowIfStopping();
            outcomes = await Retry.ExecuteAsync(ct => _claims.ClaimAsync(attempts, run.ExpiresAt, ct), _options.Retry, run.Cancel);
            if (outcomes.Count != count)
                throw new InvalidOperationException($"The claim store answered {outcomes.Count} outcomes for {count} claims.");
        }
        catch (Exception e) when (!run.Cancel.IsCancellationRequested)
        {
            var heldBack = 0;
            for (var j = 0; j < count; j++) heldBack += round.FailFromCurrent(round.Asking[start + j]);
            run.Error("claim", heldBack, e);
            return;
        }
        for (var j = 0; j < count; j++)
        {
            var chain = round.Asking[start + j];
            if (outcomes[j].Verdict == ClaimVerdict.Refused) round.Refuse(chain);
            else Apply(round, chain, outcomes[j], run);
        }
    }

    /// <summary>
    /// The round's claims refused without their holder, from all of its calls, decided by one store call (one
    /// consistent read of the holders rather than one per claim call that met a duplicate).
    /// </summary>
    private async Task DecideRefusedAsync(ClaimRound round, int[] chains, Run run)
    {
        var attempts = new ClaimAttempt[chains.Length];
        for (var j = 0; j < chains.Length; j++)
        {
            var w = round.Current(chains[j]);
            attempts[j] = new ClaimAttempt(w.Record.Event.UuidKey, w.Record.Id);
        }
        IReadOnlyList<ClaimOutcome> outcomes;
        try
        {
            run.ThrowIfStopping();
            outcomes = await Retry.ExecuteAsync(ct => _claims.DecideRefusedAsync(attempts, run.ExpiresAt, ct), _options.Retry, run.Cancel);
            if (outcomes.Count != chains.Length)
                throw new InvalidOperationException($"The claim store answered {outcomes.Count} outcomes for {chains.Length} refused claims.");
        }
        catch (Exception e) when (!run.Cancel.IsCancellationRequested)
        {
            var heldBack = 0;
            foreach (var chain in chains) heldBack += round.FailFromCurrent(chain);
            run.Error("claim", heldBack, e);
            return;
        }
        for (var j = 0; j < chains.Length; j++)
        {
            // A store must not answer "refused" again here: that would leave the record undecided, so it fails.
            var outcome = outcomes[j].Verdict == ClaimVerdict.Refused
                ? ClaimOutcome.Failed(new InvalidOperationException($"The claim store left the refused claim of {attempts[j].UuidKey} undecided."))
                : outcomes[j];
            Apply(round, chains[j], outcome, run);
        }
    }

    private static void Apply(ClaimRound round, int chain, ClaimOutcome outcome, Run run)
    {
        if (outcome.Verdict == ClaimVerdict.Failed)
            run.Error("claim", round.FailFromCurrent(chain), outcome.Error ?? new InvalidOperationException("The claim failed."));
        else
            round.Decide(chain, outcome.Verdict == ClaimVerdict.Won, outcome.Placement);
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

    /// <summary>
    /// Steps 2 and 3a for one (kind, type, date) group: skip what exists, name the object for the rest, and list the
    /// plans to save (records not planned into that object yet). Null when nothing is left to write.
    /// </summary>
    private async Task<GroupPlan?> PlanGroupAsync(ArchivePartition partition, List<ArchiveWork> members, Run run)
    {
        // Records an earlier attempt planned (redeliveries only): done if (and only if) that object exists.
        if (members.Exists(w => w.Placement is not null)) await SkipExistingAsync(members, run);

        var toWrite = members.TrueForAll(w => w.Status is null) ? members : members.FindAll(w => w.Status is null);
        if (toWrite.Count == 0) return null;
        SortBySequence(toWrite);
        var ids = new RecordId[toWrite.Count];
        for (var i = 0; i < ids.Length; i++) ids[i] = toWrite[i].Record.Id;
        var plan = new GroupPlan(partition, toWrite, GroupObjectName.For(partition, ids));
        foreach (var w in toWrite)
            if (!plan.IsPlanned(w)) plan.Unsaved++;
        return plan;
    }

    /// <summary>
    /// Step 3b: saves every group's plans before any object is put, the groups' plans packed together into calls of
    /// the store's size (a small group no longer costs a call of its own). A failed call fails the groups it carried.
    /// </summary>
    private async Task SavePlansAsync(GroupPlan?[] plans, Run run)
    {
        var total = 0;
        foreach (var plan in plans) total += plan?.Unsaved ?? 0;
        // Every group's unsaved records, in group order, with the group each came from; calls take slices of them.
        var unsaved = new PlacementSlice.Source(total);
        foreach (var plan in plans)
        {
            if (plan is null) continue;
            foreach (var w in plan.Members)
                if (!plan.IsPlanned(w)) unsaved.Add(w, plan);
        }
        var perCall = Math.Max(1, _claims.MaxPlacementsPerCall);
        var calls = (total + perCall - 1) / perCall;
        await BoundedParallel.ForEachAsync(
            calls, _options.MaxParallelClaims, (Archiver: this, Unsaved: unsaved, PerCall: perCall, Run: run),
            static (s, i) =>
            {
                var start = i * s.PerCall;
                return s.Archiver.SavePlanCallAsync(new PlacementSlice(s.Unsaved, start, Math.Min(s.PerCall, s.Unsaved.Count - start)), s.Run);
            },
            run.Cancel);

        foreach (var plan in plans)
        {
            if (plan is null) continue;
            if (plan.Error is { } error)
            {
                run.Error(plan.Partition.Prefix, plan.Members.Count, error);
                foreach (var w in plan.Members) w.Fail();
                continue;
            }
            foreach (var w in plan.Members) w.Placement = plan.ObjectKey;
        }
    }

    private async Task SavePlanCallAsync(PlacementSlice chunk, Run run)
    {
        try
        {
            run.ThrowIfStopping();
            await Retry.ExecuteAsync(ct => _claims.SavePlacementsAsync(chunk, run.ExpiresAt, ct), _options.Retry, run.Cancel);
        }
        catch (Exception e) when (!run.Cancel.IsCancellationRequested)
        {
            for (var i = 0; i < chunk.Count; i++) Interlocked.CompareExchange(ref chunk.Owner(i).Error, e, null);
        }
    }

    /// <summary>Step 3c for one group whose plans are saved: put its object (one PUT), then its records are done.</summary>
    private async Task PutGroupAsync(GroupPlan plan, Run run)
    {
        if (plan.Error is not null) return;
        try
        {
            run.ThrowIfStopping();
            var lines = new ReadOnlyMemory<byte>[plan.Members.Count];
            for (var i = 0; i < lines.Length; i++) lines[i] = plan.Members[i].Record.Event.Line;
            var body = NdjsonBody.Rent(lines, out var length);
            try
            {
                await Retry.ExecuteAsync(ct => _archive.PutAsync(plan.ObjectKey, body.AsMemory(0, length), ct), _options.Retry, run.Cancel);
            }
            finally
            {
                NdjsonBody.Return(body); // every attempt has completed: nothing reads the body any more
            }
            Interlocked.Increment(ref run.ObjectsWritten);
            foreach (var w in plan.Members) w.Status = RecordStatus.Written;
        }
        catch (Exception e) when (!run.Cancel.IsCancellationRequested)
        {
            run.Error(plan.Partition.Prefix, plan.Members.Count, e);
            foreach (var w in plan.Members) w.Fail();
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

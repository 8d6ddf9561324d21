namespace Pipelines.Orders.Cdc.Publishing;

/// <summary>How publishing one stream batch ended.</summary>
/// <param name="Published">Entries the stream acknowledged.</param>
/// <param name="RetriedEntries">Entries that failed once and were sent again (the PutRecordsRetries metric).</param>
/// <param name="FirstUnsentPosition">Lowest batch position not acknowledged, or null when everything was written.</param>
/// <param name="GaveUpReason">Why publishing stopped early; null when everything was written.</param>
internal sealed record PublishOutcome(int Published, int RetriedEntries, int? FirstUnsentPosition, string? GaveUpReason);

/// <summary>
/// Publishes CDC records with PutRecords so that, per partition key (orderid), no change ever reaches the
/// stream before an earlier change of the same order, even when PutRecords fails some entries.
/// </summary>
/// <remarks>
/// PutRecords reports success per entry, and a failed entry (ProvisionedThroughputExceeded, InternalFailure)
/// does not stop later entries of the same call, on the same shard, from being written. So if one call held
/// two changes of order K and the first one failed, the second would already be on the stream ahead of it,
/// and nothing could undo that. Hence the rule: a call carries at most one entry per key, and only the
/// earliest unacknowledged one; later changes of K wait in <c>pending</c> until that entry is acknowledged.
/// Entries of other keys are not held back. Failed entries are retried with capped, jittered backoff; when
/// an entry has used all its attempts (or time runs out) we stop and report the lowest unacknowledged batch
/// position, which the handler turns into the batch item failure (streams checkpoint: Lambda re-delivers
/// that record and everything after it, so nothing is lost; already-sent later records may arrive twice).
/// </remarks>
internal sealed class OrderedPublisher(
    IRecordBatchSink sink,
    PublishOptions options,
    Func<Exception, bool> isTransient,
    Func<TimeSpan, CancellationToken, Task> delay,
    Func<TimeSpan> remainingTime)
{
    public async Task<PublishOutcome> PublishAsync(IReadOnlyList<OutgoingRecord> records, CancellationToken cancellationToken)
    {
        var pending = new List<Pending>(records.Count);
        foreach (var r in records) pending.Add(new Pending(r));
        // The handler passes records in batch order; sort only if a caller did not.
        if (!IsInPositionOrder(pending)) pending = [.. pending.OrderBy(p => p.Record.Position)];
        var published = 0;
        var retried = 0;
        var failedRounds = 0;
        var keysSeen = new HashSet<string>(Math.Min(pending.Count, options.MaxRecordsPerCall), StringComparer.Ordinal);

        while (pending.Count > 0)
        {
            if (remainingTime() < options.DeadlineMargin)
                return GiveUp("the invocation deadline is near");

            var call = NextCall(pending, keysSeen);
            var (errors, fatal) = await SendAsync(call, cancellationToken);
            if (errors is null)
                return GiveUp(fatal!);

            var failed = 0;
            for (var i = 0; i < call.Count; i++)
            {
                if (errors[i] is null)
                {
                    call[i].Done = true;
                    published++;
                }
                else
                {
                    call[i].Attempts++;
                    call[i].LastError = errors[i];
                    failed++;
                }
            }
            pending.RemoveAll(p => p.Done);
            if (failed == 0) continue;

            var exhausted = call.FirstOrDefault(p => !p.Done && p.Attempts >= options.MaxAttempts);
            if (exhausted is not null)
                return GiveUp($"entry at position {exhausted.Record.Position} failed {exhausted.Attempts} times (last error {exhausted.LastError})");

            retried += failed;
            failedRounds++;
            await delay(Backoff(failedRounds), cancellationToken);
        }
        return new PublishOutcome(published, retried, null, null);

        PublishOutcome GiveUp(string reason) =>
            new(published, retried, pending.Min(p => p.Record.Position), reason);
    }

    /// <summary>The next PutRecords call: the earliest pending entry of each key, in batch order, within the limits.</summary>
    private List<Pending> NextCall(List<Pending> pending, HashSet<string> keysSeen)
    {
        var call = new List<Pending>(Math.Min(pending.Count, options.MaxRecordsPerCall));
        keysSeen.Clear(); // one set for every call: a batch's calls would otherwise each allocate their own
        long bytes = 0;
        foreach (var p in pending)
        {
            // A key already seen has an earlier pending entry (in this call or held back): this one must wait.
            if (!keysSeen.Add(p.Record.PartitionKey)) continue;
            if (call.Count == options.MaxRecordsPerCall || (call.Count > 0 && bytes + p.Record.RequestBytes > options.MaxBytesPerCall))
                break;
            call.Add(p);
            bytes += p.Record.RequestBytes;
        }
        return call;
    }

    /// <summary>Per-entry error codes, all entries failed for a transient whole-call error, or null for a fatal one.</summary>
    private async Task<(IReadOnlyList<string?>? Errors, string? Fatal)> SendAsync(List<Pending> call, CancellationToken cancellationToken)
    {
        try
        {
            var errors = await sink.PutAsync(call.Select(p => p.Record).ToList(), cancellationToken);
            if (errors.Count != call.Count)
                return (null, $"PutRecords answered {errors.Count} entries for {call.Count} sent");
            return (errors, null);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (!isTransient(e)) return (null, $"PutRecords failed: {e.GetType().Name}: {e.Message}");
            var code = e.GetType().Name;
            return (call.Select(_ => (string?)code).ToList(), null);
        }
    }

    private static bool IsInPositionOrder(List<Pending> pending)
    {
        for (var i = 1; i < pending.Count; i++)
        {
            if (pending[i].Record.Position < pending[i - 1].Record.Position) return false;
        }
        return true;
    }

    /// <summary>Capped exponential backoff with full jitter.</summary>
    private TimeSpan Backoff(int failedRounds)
    {
        var cap = Math.Min(options.MaxDelay.TotalMilliseconds, options.BaseDelay.TotalMilliseconds * Math.Pow(2, failedRounds - 1));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * cap);
    }

    private sealed class Pending(OutgoingRecord record)
    {
        public OutgoingRecord Record { get; } = record;
        public int Attempts { get; set; }
        public string? LastError { get; set; }
        public bool Done { get; set; }
    }
}

using Pipelines.Events.Domain;
using Pipelines.Shared.Events;
using Pipelines.Shared.Kinesis;
using Pipelines.Shared.Resilience;
using Pipelines.Shared.Buffers;

namespace Pipelines.Events.Archiving;

/// <summary>
/// One Kinesis batch end to end, with no AWS types: decode and validate each record, send the bad ones to the
/// reject sink, archive the rest exactly once, and report the first record not durably handled so Lambda resumes
/// from it (Kinesis checkpoint semantics: everything before it counts as done).
/// </summary>
internal sealed class EventBatchProcessor
{
    private static readonly string UnknownShardFromReader = SourceRecord.ShardIdFromEventId(null);

    private readonly ExactlyOnceArchiver _archiver;
    private readonly IRejectSink _rejects;
    private readonly RetryOptions _retry;
    private readonly TimeProvider _clock;

    public EventBatchProcessor(ExactlyOnceArchiver archiver, IRejectSink rejects, RetryOptions retry, TimeProvider clock)
    {
        _archiver = archiver ?? throw new ArgumentNullException(nameof(archiver));
        _rejects = rejects ?? throw new ArgumentNullException(nameof(rejects));
        _retry = retry ?? throw new ArgumentNullException(nameof(retry));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
    }

    public async Task<BatchResult> ProcessAsync(KinesisBatch batch, CancellationToken stopStarting, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var started = _clock.GetUtcNow();
        var oldestArrival = started;
        var valid = new List<ArchiveRecord>(batch.Count);
        var validPositions = new List<int>(batch.Count);
        var rejected = new List<RejectedEvent>();
        var rejectedPositions = new List<int>();
        using var lines = new PooledByteArena(); // the valid events' archived lines, needed until their objects are put
        for (var i = 0; i < batch.Count; i++)
        {
            // Only the sequence number becomes a string here; a rejected record also pays for its partition key.
            var arrival = batch.ArrivalTime(i);
            if (i == 0 || arrival < oldestArrival) oldestArrival = arrival;
            var id = new RecordId(ShardOf(batch.ShardId(i)), batch.SequenceNumber(i));
            var result = Decode(batch.Data(i), lines);
            if (result.Event is { } parsed)
            {
                valid.Add(new ArchiveRecord(id, parsed));
                validPositions.Add(i);
            }
            else
            {
                // The original text is kept for the rejects object; only rejected records pay for the string.
                rejected.Add(new RejectedEvent(id, result.Reason!, batch.Source(i).PartitionKey, arrival, batch.DataText(i)));
                rejectedPositions.Add(i);
            }
        }

        var outcome = valid.Count == 0
            ? new ArchiveOutcome([], [], 0, [])
            : await _archiver.ArchiveAsync(valid, started, stopStarting, cancellationToken);
        var errors = new List<ArchiveError>(outcome.Errors);
        var firstFailed = int.MaxValue;
        var failed = 0;
        for (var i = 0; i < outcome.Statuses.Count; i++)
        {
            if (outcome.Statuses[i] != RecordStatus.Failed) continue;
            failed++;
            firstFailed = Math.Min(firstFailed, validPositions[i]);
        }

        // Lambda redelivers from the first failed record, and that redelivery stores the rejects after it: storing
        // them now as well would put them in the bucket twice. So the rejects wait for the archive's outcome.
        var cut = rejectedPositions.FindIndex(p => p > firstFailed);
        var stored = cut < 0 ? rejected : rejected.GetRange(0, cut);
        if (await WriteRejectsAsync(stored, stopStarting, cancellationToken) is { } rejectError)
        {
            // The rejects were not stored: they must come back, so the earliest of them bounds the checkpoint.
            errors.Add(rejectError);
            firstFailed = Math.Min(firstFailed, rejectedPositions[0]);
            failed += stored.Count;
        }

        var response = firstFailed == int.MaxValue
            ? new BatchResponse()
            : BatchResponse.Of([batch.SequenceNumber(firstFailed)]);
        return new BatchResult
        {
            Response = response,
            Received = batch.Count,
            Rejected = stored.Count,
            RejectsDeferred = rejected.Count - stored.Count,
            EventsWritten = outcome.Count(RecordStatus.Written, ArchiveKind.Events),
            DuplicatesWritten = outcome.Count(RecordStatus.Written, ArchiveKind.Duplicated),
            AlreadyArchived = outcome.Statuses.Count(s => s == RecordStatus.AlreadyArchived),
            Failed = failed,
            ObjectsWritten = outcome.ObjectsWritten,
            RejectedByReason = stored.GroupBy(r => r.Reason.Code, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal),
            MaxProcessingLatency = _clock.GetUtcNow() - oldestArrival,
            Errors = errors,
        };
    }

    private static ParseResult Decode(ReadOnlySpan<byte> data, PooledByteArena lines)
    {
        if (!KinesisPayload.TryDecode(data, out var rented, out var length, out var reason))
            return ParseResult.Reject(reason!.Code, reason.Detail);
        try
        {
            return EventParser.Parse(rented.AsMemory(0, length), lines);
        }
        finally
        {
            KinesisPayload.Return(rented);
        }
    }

    /// <summary>Writes the rejects (one object per batch); returns the error when that failed even after retries.</summary>
    private async Task<ArchiveError?> WriteRejectsAsync(
        List<RejectedEvent> rejected, CancellationToken stopStarting, CancellationToken cancellationToken)
    {
        if (rejected.Count == 0) return null;
        var name = GroupObjectName.Leaf(GroupObjectName.Canonical(rejected.Select(r => r.Id)));
        try
        {
            stopStarting.ThrowIfCancellationRequested();
            await Retry.ExecuteAsync(ct => _rejects.WriteAsync(name, rejected, ct), _retry, cancellationToken);
            return null;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return new ArchiveError("rejects", rejected.Count, e);
        }
    }

    /// <summary>
    /// The shard from the event id ("shardId-…:seq"); every real Kinesis record carries one. The shared reader names a
    /// missing one "shardId-unknown"; this function has always called it "shard-unknown", and object names must not move.
    /// </summary>
    private static string ShardOf(string shardId) =>
        shardId == UnknownShardFromReader ? "shard-unknown" : shardId;
}

using Pipelines.Reviews.Domain;
using Pipelines.Shared.Buffers;
using Pipelines.Reviews.Storage;
using Pipelines.Shared.Events;
using Pipelines.Shared.Kinesis;
using Pipelines.Shared.Observability;
using Pipelines.Shared.Resilience;
using Pipelines.Shared.Sinks;

namespace Pipelines.Reviews;

/// <summary>
/// One Kinesis batch: decode and validate every record, store the valid ones, send the ones that can never be
/// stored to the rejects bucket, and report the first record that was not durably handled so Lambda redelivers it
/// and everything after it (Kinesis checkpoint semantics: only the lowest reported sequence number matters).
/// Rejects after that record are left to the redelivery: storing them now too would put them in the bucket twice.
/// </summary>
internal sealed class ReviewBatchProcessor(IReviewStore store, IRejectObjectSink rejects)
{
    private enum Status { Pending, Written, Superseded, Rejected, Failed, Redelivered }

    public async Task<ReviewBatchOutcome> ProcessAsync(KinesisBatch batch, SinkSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(settings);
        var count = batch.Count;
        var status = new Status[count];
        var reasons = new string?[count];
        var itemOf = new int[count];
        var items = new List<ReviewItem>(count);
        var survivor = new List<int>(count);
        var slotById = new Dictionary<string, int>(count, StringComparer.Ordinal);
        using var arena = new PooledByteArena();

        for (var i = 0; i < count; i++)
        {
            itemOf[i] = -1;
            ReviewParseResult parsed;
            var decodeError = PooledPayload.TryDecode(batch.Data(i), out var payload);
            using (payload)
            {
                // The item keeps the sequence number, shard and arrival time; the partition key stays unmade.
                parsed = decodeError is null
                    ? ReviewParser.Parse(payload.Span, new ItemLineage(batch.SequenceNumber(i), batch.ShardId(i), batch.ArrivalTime(i)), arena)
                    : ReviewParseResult.Reject(decodeError);
            }
            if (parsed.Item is not { } item)
            {
                status[i] = Status.Rejected;
                reasons[i] = parsed.RejectReason;
                continue;
            }
            // A later record for the same review replaces the earlier one, as sequential puts would; one
            // BatchWriteItem call may not carry the same key twice anyway.
            if (slotById.TryGetValue(item.ReviewId, out var slot))
            {
                items[slot] = item;
                survivor[slot] = i;
            }
            else
            {
                slot = items.Count;
                slotById[item.ReviewId] = slot;
                items.Add(item);
                survivor.Add(i);
            }
            itemOf[i] = slot;
        }

        var results = items.Count > 0 ? await store.WriteAsync(items, settings, cancellationToken).ConfigureAwait(false) : [];
        for (var i = 0; i < count; i++)
        {
            if (itemOf[i] < 0) continue;
            var result = results[itemOf[i]];
            var isSurvivor = survivor[itemOf[i]] == i;
            (status[i], reasons[i]) = result.Status switch
            {
                ItemWriteStatus.Written => (isSurvivor ? Status.Written : Status.Superseded, null),
                // A superseded record is settled once its successor is: storing it could only be overwritten.
                ItemWriteStatus.Rejected => (isSurvivor ? Status.Rejected : Status.Superseded, result.Reason),
                _ => (Status.Failed, result.Reason),
            };
        }

        var rejected = new List<RejectedRecord>();
        var rejectedIndexes = new List<int>();
        var firstStoreFailure = Array.IndexOf(status, Status.Failed);
        for (var i = 0; i < count; i++)
        {
            if (status[i] != Status.Rejected) continue;
            if (firstStoreFailure >= 0 && i > firstStoreFailure)
            {
                status[i] = Status.Redelivered;
                continue;
            }
            rejected.Add(KinesisRejects.For(reasons[i]!, batch, i));
            rejectedIndexes.Add(i);
        }
        string? rejectObject = null;
        if (rejected.Count > 0)
        {
            var name = KinesisRejects.ObjectName(batch.ShardId(rejectedIndexes[0]), rejected);
            try
            {
                await Retry.ExecuteAsync(ct => rejects.WriteAsync(name, rejected, ct), settings.Retry, cancellationToken).ConfigureAwait(false);
                rejectObject = name;
            }
            catch (Exception e)
            {
                Log.Warn("Could not store rejected records; they will be redelivered", new LogField("error", e.Message), new LogField("records", rejected.Count));
                foreach (var i in rejectedIndexes) status[i] = Status.Failed;
            }
        }

        var firstFailed = Array.IndexOf(status, Status.Failed);
        var response = firstFailed < 0 ? new BatchResponse() : BatchResponse.Of([batch.SequenceNumber(firstFailed)]);
        int written = 0, superseded = 0, rejectedCount = 0, failed = 0, redelivered = 0;
        foreach (var s in status)
        {
            switch (s)
            {
                case Status.Written: written++; break;
                case Status.Superseded: superseded++; break;
                case Status.Rejected: rejectedCount++; break;
                case Status.Failed: failed++; break;
                case Status.Redelivered: redelivered++; break;
            }
        }
        return new ReviewBatchOutcome(response, count, written, superseded, rejectedCount, failed, redelivered, rejectObject);
    }
}

using Pipelines.Counties.Domain;
using Pipelines.Counties.Storage;
using Pipelines.Shared.Events;
using Pipelines.Shared.Kinesis;
using Pipelines.Shared.Observability;
using Pipelines.Shared.Resilience;
using Pipelines.Shared.Sinks;

namespace Pipelines.Counties;

/// <summary>
/// One Kinesis batch of CSV rows: reject rows without a usable county (to the rejects bucket, with reason, data and
/// sequence number), count the rest per county, and put one item per county. The batch is acknowledged all or
/// nothing: on any failure the batch's FIRST record is reported, so the retry starts where this attempt started.
/// That is what keeps the per-county sums exact (see <see cref="CountyBatchCounter"/> for the argument); a
/// partial checkpoint would leave items covering rows the retry counts again.
/// </summary>
internal sealed class CountyBatchProcessor(ICountStore store, IRejectObjectSink rejects)
{
    // The counter remembers county names between batches. Lambda runs one invocation at a time; a caller that
    // overlaps invocations takes a fresh counter instead of sharing this one.
    private CountyBatchCounter? _spareCounter = new();

    public async Task<CountyBatchOutcome> ProcessAsync(KinesisBatch batch, RetryOptions retry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(retry);
        var (counts, counted, rejected) = CountRows(batch);
        string? rejectObject = null;
        var ok = true;
        // Rejects first: an attempt that cannot store them writes no counts at all.
        if (rejected is not null)
        {
            rejectObject = KinesisRejects.ObjectName(rejected[0].ShardId!, rejected);
            try
            {
                await Retry.ExecuteAsync(ct => rejects.WriteAsync(rejectObject, rejected, ct), retry, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                Log.Warn("Could not store rejected rows; the batch will be redelivered", new LogField("error", e.Message), new LogField("records", rejected.Count));
                ok = false;
            }
        }
        if (ok && counts.Count > 0) ok = await store.WriteAsync(counts, retry, cancellationToken).ConfigureAwait(false);

        if (!ok || batch.Count == 0)
        {
            var response = batch.Count == 0 ? new BatchResponse() : BatchResponse.Of([batch.SequenceNumber(0)]);
            return new CountyBatchOutcome(response, batch.Count, 0, 0, batch.Count, counts, null);
        }
        return new CountyBatchOutcome(new BatchResponse(), batch.Count, counted, rejected?.Count ?? 0, 0, counts, rejectObject);
    }

    /// <summary>Decodes and parses every record: valid rows are counted per county, the others become rejects.</summary>
    private (List<CountyBatchCount> Counts, int Counted, List<RejectedRecord>? Rejected) CountRows(KinesisBatch batch)
    {
        var counter = Interlocked.Exchange(ref _spareCounter, null) ?? new CountyBatchCounter();
        List<RejectedRecord>? rejected = null;
        try
        {
            for (var i = 0; i < batch.Count; i++)
            {
                var reason = PooledPayload.TryDecode(batch.Data(i), out var payload);
                using (payload)
                {
                    if (reason is null)
                    {
                        var row = CountyRowParser.Parse(payload.Span);
                        if (row.IsAccepted)
                        {
                            // The county's bytes live in the pooled payload: the counter is done with them on return.
                            counter.Add(batch.ShardId(i), i, row.County);
                            continue;
                        }
                        reason = row.RejectReason!;
                    }
                }
                (rejected ??= []).Add(KinesisRejects.For(reason, batch, i));
            }
            return (counter.Counts(batch.Source), counter.Rows, rejected);
        }
        finally
        {
            counter.Clear();
            Volatile.Write(ref _spareCounter, counter);
        }
    }
}

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
    public async Task<CountyBatchOutcome> ProcessAsync(KinesisEvent batch, RetryOptions retry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(retry);
        var records = batch.Records;
        var rows = new List<CountedRow>(records.Count);
        var rejected = new List<RejectedRecord>();
        string? rejectShard = null, shardId = null;
        foreach (var record in records)
        {
            var kinesis = record.Kinesis;
            var source = SourceRecord.From(record, ref shardId);
            CountyParseResult parsed;
            var decodeError = PooledPayload.TryDecode(kinesis.Data, out var payload);
            using (payload)
            {
                parsed = decodeError is null ? CountyRowParser.Parse(payload.Span) : CountyParseResult.Reject(decodeError);
            }
            if (parsed.County is { } county)
            {
                rows.Add(new CountedRow(source, county));
                continue;
            }
            rejectShard ??= source.ShardId;
            rejected.Add(KinesisRejects.For(parsed.RejectReason!, source, kinesis.Data));
        }

        var counts = CountyBatchCounter.Count(rows);
        string? rejectObject = null;
        var ok = true;
        // Rejects first: an attempt that cannot store them writes no counts at all.
        if (rejected.Count > 0)
        {
            rejectObject = KinesisRejects.ObjectName(rejectShard!, rejected);
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

        if (!ok || records.Count == 0)
        {
            var response = records.Count == 0 ? new BatchResponse() : BatchResponse.Of([records[0].Kinesis.SequenceNumber]);
            return new CountyBatchOutcome(response, records.Count, 0, 0, records.Count, counts, null);
        }
        return new CountyBatchOutcome(new BatchResponse(), records.Count, rows.Count, rejected.Count, 0, counts, rejectObject);
    }
}

using System.Text.Json;
using Pipelines.Orders.Cdc.Decoding;
using Pipelines.Orders.Cdc.Domain;
using Pipelines.Orders.Cdc.Publishing;
using Pipelines.Shared.Configuration;
using Pipelines.Shared.Events;
using Pipelines.Shared.Observability;
using Pipelines.Shared.Resilience;
using Pipelines.Shared.Runtime;
using Pipelines.Shared.Sinks;

namespace Pipelines.Orders.Cdc;

/// <summary>
/// orders-cdc-publisher: turns each DynamoDB stream record of OrdersRawTable into a CDC record and puts it on the
/// sales stream (partition key orderid), keeping every order's changes in stream order. Records that can never be
/// published go to the rejects bucket. If something cannot be sent, the batch item failure is the first unsent
/// record's sequence number: Lambda's streams checkpoint then re-delivers that record and everything after it.
/// </summary>
/// <remarks>
/// The event is read at the byte level: CDC records are transcoded straight from the event JSON
/// (<see cref="StreamBatch"/>); only records that need it go through the DynamoDBEvent object model.
/// </remarks>
internal sealed class CdcPublisherHandler(
    IRecordBatchSink sink,
    IRejectedRecordSink rejects,
    Tunables tunables,
    Func<TimeSpan, CancellationToken, Task>? delay = null)
    : IStreamHandler
{
    /// <summary>Kinesis' per-record limit (data plus partition key); a DynamoDB item (400 KB) stays well below it.</summary>
    public const int MaxRecordBytes = 1024 * 1024;

    private readonly Func<TimeSpan, CancellationToken, Task> _delay = delay ?? Task.Delay;

    public async Task HandleAsync(Stream input, Stream output, ILambdaContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(output);
        using var payload = await InvocationPayload.ReadAsync(input, cancellationToken);
        // The batch's CDC records live in pooled memory until it is disposed, after publishing.
        using var batch = await StreamBatch.DecodeAsync(payload, cancellationToken);
        var response = await PublishAsync(batch, context, cancellationToken);
        await JsonSerializer.SerializeAsync(output, response, EventJsonContext.Default.BatchResponse, cancellationToken);
    }

    private async Task<BatchResponse> PublishAsync(StreamBatch records, ILambdaContext context, CancellationToken cancellationToken)
    {
        await tunables.RefreshIfStaleAsync(cancellationToken);
        Metrics.Add("RecordsReceived", records.Count);

        var outgoing = new List<OutgoingRecord>(records.Count);
        var rejected = new List<(int Position, RejectedRecord Record)>();
        for (var i = 0; i < records.Count; i++)
        {
            var built = records.Build(i);
            if (!built.IsOk)
            {
                rejected.Add((i, ToRejected(records.Model(i), built.RejectReason!, built.OrderId)));
                continue;
            }
            var record = new OutgoingRecord(i, SalesPartitionKey.For(built.OrderId!), built.Json);
            if (record.RequestBytes > MaxRecordBytes)
                rejected.Add((i, ToRejected(records.Model(i), $"CDC record of {record.RequestBytes} bytes exceeds Kinesis' {MaxRecordBytes}-byte record limit", built.OrderId)));
            else
                outgoing.Add(record);
        }

        var publisher = new OrderedPublisher(
            sink,
            new PublishOptions { MaxAttempts = Math.Max(1, tunables.GetInt("sink_max_attempts", 6)) },
            e => TransientErrors.IsTransient(e, cancellationToken),
            _delay,
            () => context.RemainingTime);
        var outcome = await publisher.PublishAsync(outgoing, cancellationToken);

        // Lambda redelivers from the first unsent record: rejects after it are stored by that redelivery, and storing
        // them now as well would put them in the bucket twice. A reject is only handled once it is stored, so when
        // the bucket fails the checkpoint moves back to the first reject (the records published after it repeat,
        // as anything after a checkpoint may).
        var unsent = outcome.FirstUnsentPosition ?? int.MaxValue;
        var firstUnstoredReject = await WriteRejectsAsync(rejected.TakeWhile(r => r.Position < unsent).ToList(), cancellationToken);

        Metrics.Add("RecordsWritten", outcome.Published);
        Metrics.Add("PutRecordsRetries", outcome.RetriedEntries);

        var firstUnsent = Math.Min(unsent, firstUnstoredReject);
        if (firstUnsent >= records.Count)
        {
            Metrics.Add("BatchItemFailures", 0); // always emitted, so alarms see zeros rather than missing data
            Log.Info("Published stream batch", new LogField("received", records.Count), new LogField("published", outcome.Published),
                new LogField("rejected", rejected.Count), new LogField("retriedEntries", outcome.RetriedEntries));
            return new BatchResponse();
        }

        var sequenceNumber = records.SequenceNumber(firstUnsent);
        Metrics.Add("BatchItemFailures", 1);
        Log.Warn("Stopped publishing; Lambda will re-deliver from the first unsent record",
            new LogField("firstUnsentSequenceNumber", sequenceNumber), new LogField("position", firstUnsent),
            new LogField("received", records.Count), new LogField("published", outcome.Published),
            new LogField("reason", outcome.GaveUpReason ?? "rejected records could not be stored"));
        return BatchResponse.Of([sequenceNumber]);
    }

    /// <summary>Stores the rejects; returns the position of the first one not stored (int.MaxValue when all are).</summary>
    private async Task<int> WriteRejectsAsync(List<(int Position, RejectedRecord Record)> rejected, CancellationToken cancellationToken)
    {
        Metrics.Add("RecordsRejected", 0);
        if (rejected.Count == 0) return int.MaxValue;
        try
        {
            await rejects.WriteAsync(rejected.Select(r => r.Record).ToList(), cancellationToken);
            Metrics.Add("RecordsRejected", rejected.Count);
            foreach (var (position, record) in rejected.Take(10))
                Log.Warn("Rejected stream record", new LogField("position", position), new LogField("sequenceNumber", record.SourceId), new LogField("reason", record.Reason));
            return int.MaxValue;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.Error("Could not store rejected records", e, new LogField("count", rejected.Count));
            return rejected[0].Position;
        }
    }

    /// <summary>The original stream record as JSON, with its sequence number as the source id.</summary>
    private static RejectedRecord ToRejected(DynamoDBStreamRecord record, string reason, string? orderId) => new(
        reason,
        record.Dynamodb.SequenceNumber.Length > 0 ? record.Dynamodb.SequenceNumber : $"eventID:{record.EventId}",
        JsonSerializer.SerializeToUtf8Bytes(record, EventJsonContext.Default.DynamoDBStreamRecord),
        PartitionKey: orderId,
        ApproximateArrival: record.Dynamodb.ApproximateCreationTime);
}

using Pipelines.Events.Archiving;
using Pipelines.Shared.Configuration;
using Pipelines.Shared.Events;
using Pipelines.Shared.Kinesis;
using Pipelines.Shared.Observability;
using Pipelines.Shared.Resilience;
using Pipelines.Shared.Runtime;

namespace Pipelines.Events;

/// <summary>
/// Lambda entry for event-archiver: a thin adapter from the Kinesis event (read straight into a
/// <see cref="KinesisBatch"/>) to <see cref="EventBatchProcessor"/>
/// (the exactly-once design is described in Archiving/ExactlyOnceArchiver.cs), plus metrics and the batch log line.
/// </summary>
internal sealed class EventArchiverHandler : KinesisBatchHandler
{
    internal const string DedupTtlDaysTunable = "dedup_ttl_days";
    internal const string SinkMaxAttemptsTunable = "sink_max_attempts";

    /// <summary>Sink calls stop starting this long before the deadline, so none is in flight when Lambda stops us.</summary>
    private static readonly TimeSpan DeadlineMargin = TimeSpan.FromSeconds(10);

    private readonly IClaimStore _claims;
    private readonly IArchiveStore _archive;
    private readonly IRejectSink _rejects;
    private readonly Tunables _tunables;
    private readonly TimeProvider _clock;
    private readonly Func<TimeSpan, CancellationToken, Task>? _retryDelay;

    public EventArchiverHandler(
        IClaimStore claims, IArchiveStore archive, IRejectSink rejects, Tunables tunables, TimeProvider clock,
        Func<TimeSpan, CancellationToken, Task>? retryDelay = null)
    {
        _claims = claims ?? throw new ArgumentNullException(nameof(claims));
        _archive = archive ?? throw new ArgumentNullException(nameof(archive));
        _rejects = rejects ?? throw new ArgumentNullException(nameof(rejects));
        _tunables = tunables ?? throw new ArgumentNullException(nameof(tunables));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _retryDelay = retryDelay;
    }

    protected override async Task<BatchResponse> HandleAsync(KinesisBatch batch, ILambdaContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(context);
        await _tunables.RefreshIfStaleAsync(cancellationToken);
        var retry = new RetryOptions { MaxAttempts = Math.Max(1, _tunables.GetInt(SinkMaxAttemptsTunable, 6)), Delay = _retryDelay };
        var options = new ArchiverOptions
        {
            DedupHorizon = TimeSpan.FromDays(Math.Max(1, _tunables.GetInt(DedupTtlDaysTunable, 7))),
            Retry = retry,
        };
        var processor = new EventBatchProcessor(new ExactlyOnceArchiver(_claims, _archive, options), _rejects, retry, _clock);

        using var stopStarting = new CancellationTokenSource();
        var remaining = context.RemainingTime;
        if (remaining != TimeSpan.MaxValue)
        {
            var margin = remaining / 4 < DeadlineMargin ? remaining / 4 : DeadlineMargin;
            stopStarting.CancelAfter(remaining - margin);
        }

        var result = await processor.ProcessAsync(batch, stopStarting.Token, cancellationToken);
        Report(result);
        return result.Response;
    }

    private static void Report(BatchResult result)
    {
        var written = result.EventsWritten + result.DuplicatesWritten;
        Metrics.Add("RecordsReceived", result.Received);
        Metrics.Add("RecordsWritten", written);
        Metrics.Add("RecordsRejected", result.Rejected);
        Metrics.Add("RejectsDeferred", result.RejectsDeferred);
        Metrics.Add("Duplicates", result.DuplicatesWritten);
        Metrics.Add("RecordsAlreadyArchived", result.AlreadyArchived);
        Metrics.Add("BatchItemFailures", result.Response.BatchItemFailures.Count);
        Metrics.Add("RecordsRetried", result.Failed);
        Metrics.Add("ObjectsWritten", result.ObjectsWritten);
        if (written > 0) Metrics.Add("DuplicateRate", result.DuplicateRatePercent, MetricUnit.Percent);
        if (result.Received > 0) Metrics.Add("ProcessingLatencyMs", result.MaxProcessingLatency.TotalMilliseconds, MetricUnit.Milliseconds);

        foreach (var error in result.Errors)
            Log.Error("Sink call failed after retries; its records will be redelivered", error.Exception,
                new LogField("stage", error.Stage), new LogField("records", error.Records));
        foreach (var (reason, count) in result.RejectedByReason)
            Log.Warn("Rejected records", new LogField("reason", reason), new LogField("count", count));
        Log.Info("Batch archived",
            new LogField("received", result.Received),
            new LogField("events", result.EventsWritten),
            new LogField("duplicates", result.DuplicatesWritten),
            new LogField("alreadyArchived", result.AlreadyArchived),
            new LogField("rejected", result.Rejected),
            new LogField("rejectsDeferred", result.RejectsDeferred),
            new LogField("failed", result.Failed),
            new LogField("objects", result.ObjectsWritten),
            new LogField("latencyMs", result.MaxProcessingLatency.TotalMilliseconds),
            new LogField("retryFrom", result.Response.BatchItemFailures.FirstOrDefault()?.ItemIdentifier));
    }
}

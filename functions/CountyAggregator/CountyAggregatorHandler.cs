using Pipelines.Shared.Configuration;
using Pipelines.Shared.Events;
using Pipelines.Shared.Kinesis;
using Pipelines.Shared.Observability;
using Pipelines.Shared.Resilience;
using Pipelines.Shared.Runtime;

namespace Pipelines.Counties;

/// <summary>
/// county-aggregator: Kinesis <c>county-ingestion-stream</c> -> DynamoDB <c>county-counts</c>, one item per county per
/// batch. A thin adapter: refresh tunables, bound the work by the invocation deadline, process, emit metrics.
/// </summary>
internal sealed class CountyAggregatorHandler(CountyBatchProcessor processor, Tunables tunables, RetryOptions? retryTemplate = null)
    : KinesisBatchHandler
{
    public const string MaxAttemptsKey = "sink_max_attempts";

    /// <summary>Stop retrying this long before Lambda's deadline, so the failure is reported instead of timing out.</summary>
    internal static readonly TimeSpan DeadlineMargin = TimeSpan.FromSeconds(3);

    // Rebuilt only when the tunable changes, not once per invocation.
    private RetryOptions? _retry;

    protected override async Task<BatchResponse> HandleAsync(KinesisBatch batch, ILambdaContext context, CancellationToken cancellationToken)
    {
        await tunables.RefreshIfStaleAsync(cancellationToken).ConfigureAwait(false);
        var maxAttempts = Math.Clamp(tunables.GetInt(MaxAttemptsKey, 6), 1, 20);
        var retry = _retry is { } cached && cached.MaxAttempts == maxAttempts
            ? cached
            : _retry = (retryTemplate ?? RetryOptions.Default) with { MaxAttempts = maxAttempts };

        using var budget = DeadlineBudget.Start(context.RemainingTime, DeadlineMargin, cancellationToken);

        var outcome = await processor.ProcessAsync(batch, retry, budget.Token).ConfigureAwait(false);

        Metrics.Add("RecordsReceived", outcome.Received);
        Metrics.Add("RecordsWritten", outcome.Counted);
        Metrics.Add("RecordsRejected", outcome.Rejected);
        Metrics.Add("RecordsFailed", outcome.Failed);
        Metrics.Add("CountItemsWritten", outcome.Failed > 0 ? 0 : outcome.Counts.Count);
        Metrics.Add("BatchItemFailures", outcome.Response.BatchItemFailures.Count);
        Log.Write(outcome.Failed > 0 ? LogLevel.Warn : LogLevel.Info, "County batch processed", null,
        [
            new LogField("received", outcome.Received),
            new LogField("counted", outcome.Counted),
            new LogField("rejected", outcome.Rejected),
            new LogField("failed", outcome.Failed),
            new LogField("counties", outcome.Counts.Count),
            new LogField("rejectObject", outcome.RejectObjectName),
        ]);
        return outcome.Response;
    }
}

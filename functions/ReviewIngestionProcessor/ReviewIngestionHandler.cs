using Pipelines.Reviews.Storage;
using Pipelines.Shared.Configuration;
using Pipelines.Shared.Events;
using Pipelines.Shared.Kinesis;
using Pipelines.Shared.Observability;
using Pipelines.Shared.Resilience;
using Pipelines.Shared.Runtime;

namespace Pipelines.Reviews;

/// <summary>
/// review-ingestion-processor: Kinesis <c>amazon-review-ingestion-stream</c> -> DynamoDB <c>amazon-reviews-raw</c>.
/// A thin adapter: refresh tunables, bound the work by the invocation deadline, process, emit metrics.
/// </summary>
internal sealed class ReviewIngestionHandler(ReviewBatchProcessor processor, Tunables tunables, RetryOptions? retryTemplate = null)
    : KinesisBatchHandler
{
    /// <summary>Stop retrying this long before Lambda's deadline, so failures are reported instead of timing out.</summary>
    internal static readonly TimeSpan DeadlineMargin = TimeSpan.FromSeconds(5);

    protected override async Task<BatchResponse> HandleAsync(KinesisBatch input, ILambdaContext context, CancellationToken cancellationToken)
    {
        await tunables.RefreshIfStaleAsync(cancellationToken).ConfigureAwait(false);
        var settings = SinkSettings.From(tunables, retryTemplate);

        using var budget = DeadlineBudget.Start(context.RemainingTime, DeadlineMargin, cancellationToken);

        var outcome = await processor.ProcessAsync(input, settings, budget.Token).ConfigureAwait(false);

        Metrics.Add("RecordsReceived", outcome.Received);
        Metrics.Add("RecordsWritten", outcome.Written);
        Metrics.Add("Duplicates", outcome.Duplicates);
        Metrics.Add("RecordsRejected", outcome.Rejected);
        Metrics.Add("RecordsFailed", outcome.Failed);
        Metrics.Add("RejectsDeferred", outcome.RejectsDeferred);
        Metrics.Add("BatchItemFailures", outcome.Response.BatchItemFailures.Count);
        var level = outcome.Failed > 0 ? LogLevel.Warn : LogLevel.Info;
        Log.Write(level, "Review batch processed", null,
        [
            new LogField("received", outcome.Received),
            new LogField("written", outcome.Written),
            new LogField("duplicates", outcome.Duplicates),
            new LogField("rejected", outcome.Rejected),
            new LogField("failed", outcome.Failed),
            new LogField("rejectsDeferred", outcome.RejectsDeferred),
            new LogField("rejectObject", outcome.RejectObjectName),
            new LogField("firstFailedSequenceNumber", outcome.Response.BatchItemFailures.FirstOrDefault()?.ItemIdentifier),
        ]);
        return outcome.Response;
    }
}

using Pipelines.Reviews;
using Pipelines.Reviews.Storage;
using Pipelines.Shared.Configuration;
using Pipelines.Shared.Events;
using Pipelines.Shared.Resilience;

namespace Pipelines.Tests.ReviewIngestionProcessor;

/// <summary>The function's processor wired to the real DynamoDB store over a scripted client, without sleeping on backoff.</summary>
internal sealed class ProcessorHarness
{
    public static readonly RetryOptions NoWait = new() { Delay = (_, _) => Task.CompletedTask };

    public ScriptedDynamoDb Dynamo { get; } = new();

    public MemoryRejectSink Rejects { get; } = new();

    public Dictionary<string, string> TunableValues { get; } = new() { ["max_parallel_writes"] = "4", ["sink_max_attempts"] = "6" };

    public ReviewBatchProcessor Processor => new(new DynamoReviewStore(Dynamo, "amazon-reviews-raw"), Rejects);

    public ReviewIngestionHandler Handler => new(Processor, Tunables.FromValues(TunableValues), NoWait);

    public Task<ReviewBatchOutcome> RunAsync(KinesisEvent batch, CancellationToken cancellationToken = default) =>
        Processor.ProcessAsync(batch, SinkSettings.From(Tunables.FromValues(TunableValues), NoWait), cancellationToken);
}

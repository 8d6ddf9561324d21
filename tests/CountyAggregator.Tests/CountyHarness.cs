using Pipelines.Counties;
using Pipelines.Counties.Storage;
using Pipelines.Shared.Configuration;
using Pipelines.Shared.Events;
using Pipelines.Shared.Resilience;

namespace Pipelines.Tests.CountyAggregator;

/// <summary>The function's processor over the real DynamoDB store and a scripted client, without sleeping on backoff.</summary>
internal sealed class CountyHarness
{
    public static readonly RetryOptions NoWait = new() { Delay = (_, _) => Task.CompletedTask, MaxAttempts = 6 };

    public ScriptedCountsTable Table { get; } = new();

    public MemoryRejectSink Rejects { get; } = new();

    public Dictionary<string, string> TunableValues { get; } = new() { ["sink_max_attempts"] = "6" };

    public CountyBatchProcessor Processor => new(new DynamoCountStore(Table, "county-counts"), Rejects);

    public CountyAggregatorHandler Handler => new(Processor, Tunables.FromValues(TunableValues), NoWait);

    public Task<CountyBatchOutcome> RunAsync(KinesisEvent batch) => Processor.ProcessAsync(batch, NoWait, CancellationToken.None);
}

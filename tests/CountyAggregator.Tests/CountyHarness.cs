using Pipelines.Counties;
using Pipelines.Counties.Storage;
using Pipelines.Shared.Configuration;
using Pipelines.Shared.Events;
using Pipelines.Shared.Kinesis;
using Pipelines.Shared.Resilience;

namespace Pipelines.Tests.CountyAggregator;

/// <summary>The function's processor over the real DynamoDB store and a scripted client, without sleeping on backoff.</summary>
internal sealed class CountyHarness
{
    public static readonly RetryOptions NoWait = new() { Delay = (_, _) => Task.CompletedTask, MaxAttempts = 6 };

    public ScriptedCountsTable Table { get; } = new();

    public MemoryRejectSink Rejects { get; } = new();

    public Dictionary<string, string> TunableValues { get; } = new() { ["sink_max_attempts"] = "6" };

    public CountyHarness() => Processor = new CountyBatchProcessor(new DynamoCountStore(Table, "county-counts"), Rejects);

    /// <summary>One processor for every batch, as one container keeps it across invocations.</summary>
    public CountyBatchProcessor Processor { get; }

    public CountyAggregatorHandler Handler => new(Processor, Tunables.FromValues(TunableValues), NoWait);

    /// <summary>Runs the processor over the event as the handler would see it: read from its wire JSON.</summary>
    public async Task<CountyBatchOutcome> RunAsync(KinesisEvent kinesisEvent)
    {
        using var batch = KinesisBatch.From(kinesisEvent);
        return await Processor.ProcessAsync(batch, NoWait, CancellationToken.None);
    }
}

using Pipelines.Reviews;
using Pipelines.Reviews.Storage;
using Pipelines.Shared.Aws;
using Pipelines.Shared.Configuration;
using Pipelines.Shared.Events;
using Pipelines.Shared.Kinesis;
using Pipelines.Shared.Resilience;

namespace Pipelines.Tests.ReviewIngestionProcessor;

/// <summary>The function's processor wired to the real DynamoDB store and signed client over a scripted DynamoDB, without sleeping on backoff.</summary>
internal sealed class ProcessorHarness
{
    public static readonly RetryOptions NoWait = new() { Delay = (_, _) => Task.CompletedTask };

    public ScriptedDynamoDb Dynamo { get; } = new();

    public MemoryRejectSink Rejects { get; } = new();

    public Dictionary<string, string> TunableValues { get; } = new() { ["max_parallel_writes"] = "4", ["sink_max_attempts"] = "6" };

    public ReviewBatchProcessor Processor => new(
        DynamoReviewStore.Create(
            AwsClientOptions.Create(AwsService.DynamoDb, new Uri("https://dynamodb.us-east-1.amazonaws.com/"), "us-east-1", new AwsCredentials("AKIDEXAMPLE", "secret")),
            "amazon-reviews-raw",
            new HttpClient(Dynamo, disposeHandler: false)),
        Rejects);

    public ReviewIngestionHandler Handler => new(Processor, Tunables.FromValues(TunableValues), NoWait);

    /// <summary>Runs the processor over <paramref name="kinesisEvent"/> read back from its wire JSON, as an invocation would.</summary>
    public async Task<ReviewBatchOutcome> RunAsync(KinesisEvent kinesisEvent, CancellationToken cancellationToken = default)
    {
        using var batch = KinesisBatch.From(kinesisEvent);
        return await Processor.ProcessAsync(batch, SinkSettings.From(Tunables.FromValues(TunableValues), NoWait), cancellationToken);
    }
}

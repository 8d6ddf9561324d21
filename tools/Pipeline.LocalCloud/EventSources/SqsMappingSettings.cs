using Pipelines.LocalCloud.Topology;

namespace Pipelines.LocalCloud.EventSources;

/// <summary>An SQS event source mapping's settings (AWS's parameters of the same names).</summary>
public sealed record SqsMappingSettings
{
    public required string FunctionName { get; init; }
    public required string QueueName { get; init; }
    public int BatchSize { get; init; } = 10;
    public TimeSpan MaximumBatchingWindow { get; init; } = TimeSpan.Zero;

    /// <summary>How many batches may be in flight at once (AWS's ScalingConfig.MaximumConcurrency).</summary>
    public int MaximumConcurrency { get; init; } = 2;

    public bool ReportBatchItemFailures { get; init; } = true;

    /// <summary>Null: the queue's own visibility timeout applies to received messages.</summary>
    public int? VisibilityTimeoutSeconds { get; init; }

    /// <summary>Pause between polls of an empty queue (and while a batching window is open).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>From the topology; <paramref name="maxWindow"/> caps the batching window and <paramref name="maxConcurrency"/> the pollers.</summary>
    public static SqsMappingSettings FromTopology(TopologyDocument topology, FunctionSpec function, TimeSpan? maxWindow = null, int maxConcurrency = 2)
    {
        var s = function.Source;
        var queue = topology.Pipeline(function.Pipeline).Queues[s.Queue ?? throw new InvalidDataException($"{function.Name}: sqs source without queue")];
        var window = TimeSpan.FromSeconds(s.BatchingWindowS);
        if (maxWindow is { } cap && window > cap) window = cap;
        return new SqsMappingSettings
        {
            FunctionName = function.Name,
            QueueName = queue.Name,
            BatchSize = s.BatchSize,
            MaximumBatchingWindow = window,
            MaximumConcurrency = Math.Max(1, Math.Min(s.MaximumConcurrency, maxConcurrency)),
        };
    }
}

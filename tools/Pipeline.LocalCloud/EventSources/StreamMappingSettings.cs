using Pipelines.LocalCloud.Topology;

namespace Pipelines.LocalCloud.EventSources;

/// <summary>A Kinesis or DynamoDB Streams event source mapping's settings (AWS's parameters of the same names).</summary>
public sealed record StreamMappingSettings
{
    public required string FunctionName { get; init; }
    public int BatchSize { get; init; } = 100;
    public TimeSpan MaximumBatchingWindow { get; init; } = TimeSpan.Zero;
    public bool BisectBatchOnFunctionError { get; init; }

    /// <summary>-1: retry until the record expires (AWS's default).</summary>
    public int MaximumRetryAttempts { get; init; } = -1;

    /// <summary>Null: no limit (AWS's -1).</summary>
    public TimeSpan? MaximumRecordAge { get; init; }

    public bool ReportBatchItemFailures { get; init; } = true;
    public string StartingPosition { get; init; } = "TRIM_HORIZON";

    /// <summary>Lambda's synchronous payload limit: a batch is cut before it would exceed it.</summary>
    public int MaximumPayloadBytes { get; init; } = 6 * 1024 * 1024;

    /// <summary>How long to wait at the tip before polling again (AWS polls about once a second).</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Pause before a retry of a failed batch.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>From the topology's source block; <paramref name="maxWindow"/> caps the batching window for fast local runs.</summary>
    public static StreamMappingSettings FromTopology(FunctionSpec function, TimeSpan? maxWindow = null)
    {
        var s = function.Source;
        var window = TimeSpan.FromSeconds(s.BatchingWindowS);
        if (maxWindow is { } cap && window > cap) window = cap;
        return new StreamMappingSettings
        {
            FunctionName = function.Name,
            BatchSize = s.BatchSize,
            MaximumBatchingWindow = window,
            BisectBatchOnFunctionError = s.BisectOnError,
            MaximumRetryAttempts = s.MaximumRetryAttempts,
            MaximumRecordAge = s.MaximumRecordAgeS > 0 ? TimeSpan.FromSeconds(s.MaximumRecordAgeS) : null,
            StartingPosition = s.StartingPosition,
        };
    }
}

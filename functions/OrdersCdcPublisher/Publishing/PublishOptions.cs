namespace Pipelines.Orders.Cdc.Publishing;

/// <summary>Limits and retry policy for <see cref="OrderedPublisher"/>.</summary>
internal sealed record PublishOptions
{
    /// <summary>PutRecords accepts at most 500 entries per call.</summary>
    public int MaxRecordsPerCall { get; init; } = 500;

    /// <summary>PutRecords accepts at most 5 MiB per call, data plus partition keys.</summary>
    public int MaxBytesPerCall { get; init; } = 5 * 1024 * 1024;

    /// <summary>How many times one entry is sent before the batch gives up on it (tunable sink_max_attempts).</summary>
    public int MaxAttempts { get; init; } = 6;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Stop retrying when less than this is left before the invocation deadline.</summary>
    public TimeSpan DeadlineMargin { get; init; } = TimeSpan.FromSeconds(5);
}

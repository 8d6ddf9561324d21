using Pipelines.Shared.Resilience;

namespace Pipelines.Events.Archiving;

/// <summary>Tunables of <see cref="ExactlyOnceArchiver"/>.</summary>
internal sealed record ArchiverOptions
{
    /// <summary>How long a uuid claim is kept (the TTL on expires_at): later copies within it count as duplicates.</summary>
    public TimeSpan DedupHorizon { get; init; } = TimeSpan.FromDays(7);

    /// <summary>In-invocation retries of each sink call (transient failures only).</summary>
    public RetryOptions Retry { get; init; } = RetryOptions.Default;

    /// <summary>Claim calls, and plan-saving calls, in flight at once (each carries up to the store's limit per call).</summary>
    public int MaxParallelClaims { get; init; } = 32;

    public int MaxParallelGroups { get; init; } = 8;
}

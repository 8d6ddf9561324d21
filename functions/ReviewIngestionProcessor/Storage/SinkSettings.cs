using Pipelines.Shared.Configuration;
using Pipelines.Shared.Resilience;

namespace Pipelines.Reviews.Storage;

/// <summary>The tunables that shape writes (SSM keys from topology.json), read once per invocation.</summary>
internal sealed record SinkSettings(int MaxParallelWrites, RetryOptions Retry)
{
    public const string MaxParallelWritesKey = "max_parallel_writes";
    public const string MaxAttemptsKey = "sink_max_attempts";

    public static SinkSettings From(Tunables tunables, RetryOptions? template = null)
    {
        ArgumentNullException.ThrowIfNull(tunables);
        var parallel = Math.Clamp(tunables.GetInt(MaxParallelWritesKey, 4), 1, 32);
        var attempts = Math.Clamp(tunables.GetInt(MaxAttemptsKey, 6), 1, 20);
        return new SinkSettings(parallel, (template ?? RetryOptions.Default) with { MaxAttempts = attempts });
    }
}

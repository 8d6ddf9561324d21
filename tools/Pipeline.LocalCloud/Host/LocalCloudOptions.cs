using Pipelines.LocalCloud.Functions;
using Pipelines.LocalCloud.RuntimeApi;
using Pipelines.LocalCloud.Topology;

namespace Pipelines.LocalCloud.Host;

/// <summary>How <see cref="LocalCloudHost"/> runs: where state lives, which functions run, and local speed-ups.</summary>
public sealed record LocalCloudOptions
{
    /// <summary>Repository root; PIPELINE_REPO_ROOT or found by walking up when null.</summary>
    public string? RepoRoot { get; init; }

    /// <summary>State folder (emulator data, function logs, /tmp of each function). Null: a temp folder removed on dispose.</summary>
    public string? StateDirectory { get; init; }

    /// <summary>Keep what an earlier run left in <see cref="StateDirectory"/> instead of starting empty.</summary>
    public bool KeepState { get; init; }

    /// <summary>The topology to run; topology/topology.json of the repository when null.</summary>
    public TopologyDocument? Topology { get; init; }

    /// <summary>
    /// Caps every event source batching window (the topology's catalog window is 120 s) so a local run drains in seconds;
    /// null keeps the topology's windows exactly.
    /// </summary>
    public TimeSpan? MaxBatchingWindow { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Caps Firehose's buffering intervals (60 s in the topology); null keeps them.</summary>
    public TimeSpan? MaxFirehoseBufferInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Concurrent SQS batches per mapping (AWS's maximum concurrency is capped to this on a laptop).</summary>
    public int MaxSqsConcurrency { get; init; } = 2;

    /// <summary>Overrides every queue's visibility timeout (tests of redrive); null keeps the topology's.</summary>
    public int? QueueVisibilityTimeoutSeconds { get; init; }

    /// <summary>Overrides each stream mapping's retry pause; null keeps the default.</summary>
    public TimeSpan? StreamRetryDelay { get; init; }

    /// <summary>How often expired items (the topology's ttl_attribute, epoch seconds) are deleted, as DynamoDB TTL would.</summary>
    public TimeSpan TtlSweepInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Runs the functions in-process instead of as Runtime API processes (tests of the plumbing only).</summary>
    public IFunctionInvoker? Invoker { get; init; }

    /// <summary>Which functions get event sources; all of the topology's when null.</summary>
    public IReadOnlySet<string>? Functions { get; init; }

    /// <summary>Which build of each function to run (published bootstrap or dll).</summary>
    public LaunchPreference Launch { get; init; } = LaunchPreference.Auto;

    /// <summary>
    /// Runs after provisioning and before any event source starts (seed data the functions read at their first
    /// invocation, e.g. partner priority rows), with <see cref="LocalCloudHost.ClientEnvironment"/> available.
    /// </summary>
    public Func<LocalCloudHost, CancellationToken, Task>? AfterProvisioning { get; init; }

    /// <summary>Receives one line per notable event (provisioning, retries, function crashes).</summary>
    public Action<string>? Log { get; init; }
}

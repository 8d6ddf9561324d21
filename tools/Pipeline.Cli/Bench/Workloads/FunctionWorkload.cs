using System.Text.Json;
using Pipelines.Cli.Bench.Profiling;
using Pipelines.LocalCloud.Topology;
using Pipelines.Shared.Runtime;

namespace Pipelines.Cli.Bench.Workloads;

/// <summary>
/// One function under benchmark: its real handler wired to in-memory sinks, and the event payloads of one run (the
/// exact bytes Lambda would deliver, one per invocation). A run invokes the handler once per payload, in order.
/// </summary>
internal abstract class FunctionWorkload : IDisposable
{
    protected FunctionWorkload(FunctionSpec spec) => Spec = spec;

    public FunctionSpec Spec { get; }

    public string Name => Spec.Name;

    public abstract ThroughputTarget Target { get; }

    /// <summary>What one invocation carries, for the report (e.g. "1,000 reviews of ~600 B").</summary>
    public abstract string BatchDescription { get; }

    public abstract IStreamHandler Handler { get; }

    public List<byte[]> Events { get; } = [];

    /// <summary>Records (stream records, rows, lines) in one run.</summary>
    public int RecordsPerRun { get; protected set; }

    public long EventBytesPerRun => Events.Sum(e => (long)e.Length);

    /// <summary>Forgets what the sinks received, so the next run is a first delivery again.</summary>
    public abstract void ResetSinks();

    /// <summary>After one run: null when the responses and the sinks show every record handled as expected, else what is wrong.</summary>
    public abstract string? Verify(IReadOnlyList<byte[]> responses);

    /// <summary>The function's main parts, each runnable alone over one run's records (for <c>bench --profile</c>).</summary>
    public virtual IReadOnlyList<ProfileStage> ProfileStages() => [];

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the in-memory SDK clients the workload owns.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>The first batch item failure in a list of <c>{"batchItemFailures":[...]}</c> responses, if any.</summary>
    protected static string? FirstBatchItemFailure(IReadOnlyList<byte[]> responses)
    {
        for (var i = 0; i < responses.Count; i++)
        {
            using var doc = JsonDocument.Parse(responses[i]);
            if (doc.RootElement.TryGetProperty("batchItemFailures", out var failures) && failures.GetArrayLength() > 0)
                return $"invocation {i + 1} reported {failures.GetArrayLength()} batch item failure(s), first {failures[0]}";
        }
        return null;
    }
}

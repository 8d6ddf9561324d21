using System.Diagnostics;
using Pipelines.Cli.Bench.Workloads;

namespace Pipelines.Cli.Bench.Profiling;

/// <summary>A stage's share of the work: microseconds and bytes allocated per record.</summary>
internal sealed record StageFigure(string Stage, double MicrosecondsPerRecord, double BytesPerRecord, IReadOnlyList<(string Type, double Share)> TopTypes);

/// <summary>Where one function's time and allocation go, stage by stage, plus the most-allocated types.</summary>
internal sealed record FunctionProfile(string Function, double TotalMicrosecondsPerRecord, double TotalBytesPerRecord,
    IReadOnlyList<StageFigure> Stages, IReadOnlyList<(string Type, double Share)> TopAllocations);

/// <summary>
/// Stopwatch splits: each stage of a workload is timed alone (median of several passes after a warm-up) and its
/// allocation counted on the calling thread; what the stages do not cover is the handler's remaining plumbing.
/// </summary>
internal static class StageProfiler
{
    private const int Passes = 5;

    public static FunctionProfile Profile(FunctionWorkload workload, ThroughputResult whole, AllocationSampler sampler, IReadOnlyList<(string Type, double Share)> topAllocations)
    {
        ArgumentNullException.ThrowIfNull(workload);
        ArgumentNullException.ThrowIfNull(whole);
        ArgumentNullException.ThrowIfNull(sampler);
        var figures = new List<StageFigure>();
        foreach (var stage in workload.ProfileStages())
        {
            stage.Run(); // warm-up (and JIT)
            var times = new List<double>(Passes);
            long allocated = 0;
            sampler.Start();
            for (var p = 0; p < Passes; p++)
            {
                var before = GC.GetAllocatedBytesForCurrentThread();
                var start = Stopwatch.GetTimestamp();
                stage.Run();
                times.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
                allocated += GC.GetAllocatedBytesForCurrentThread() - before;
            }
            var types = sampler.Stop(3);
            figures.Add(new StageFigure(stage.Name, Stats.Median([.. times.Order()]) / workload.RecordsPerRun, (double)allocated / Passes / workload.RecordsPerRun, types));
        }
        var total = 1e6 / whole.Median;
        var covered = figures.Sum(f => f.MicrosecondsPerRecord);
        var coveredBytes = figures.Sum(f => f.BytesPerRecord);
        figures.Add(new StageFigure("rest of the handler (batching, sink calls, response, logs, metrics)",
            Math.Max(0, total - covered), Math.Max(0, whole.BytesAllocatedPerRecord - coveredBytes), []));
        return new FunctionProfile(workload.Name, total, whole.BytesAllocatedPerRecord, figures, topAllocations);
    }
}

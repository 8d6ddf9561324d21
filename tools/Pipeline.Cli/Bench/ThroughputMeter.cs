using System.Diagnostics;
using Pipelines.Cli.Bench.Sinks;
using Pipelines.Cli.Bench.Workloads;

namespace Pipelines.Cli.Bench;

/// <summary>One function's measured figures (median over the timed runs, with the spread).</summary>
internal sealed record ThroughputResult(
    string Function,
    string Batch,
    int Invocations,
    int RecordsPerRun,
    IReadOnlyList<double> RecordsPerSecond,
    double MegabytesPerSecond,
    double BytesAllocatedPerRecord,
    double CpuPerWall,
    double GcPauseShare,
    ThroughputTarget Target,
    string? Problem)
{
    public double Median => Stats.Median(SortedRates);
    public double Min => SortedRates[0];
    public double Max => SortedRates[^1];

    /// <summary>Milliseconds of single-threaded work per record at the median rate.</summary>
    public double MsPerRecord => Median > 0 ? 1000 / Median : double.NaN;

    public bool Met => Problem is null && Target.IsMet(Median, BytesAllocatedPerRecord);

    private double[] SortedRates => [.. RecordsPerSecond.Order()];
}

/// <summary>
/// Warm-up, then timed runs of a workload on one dedicated thread (<see cref="SingleThread"/>: the handler's own parallel
/// loops included), so the figure is one core's worth of work, as a 512 MB Lambda gets at most. The first run is checked
/// against what the sinks received. Time and allocation are counted over the timed runs, minus what the in-memory sinks
/// spend and allocate to model their services; CPU/wall is the process's CPU time over wall time (about 1 when nothing else competed) and
/// the GC share is the time the runtime paused the work for collections.
/// </summary>
internal static class ThroughputMeter
{
    public static Task<ThroughputResult> MeasureAsync(FunctionWorkload workload, BenchOptions options) =>
        SingleThread.RunAsync(() => MeasureCoreAsync(workload, options));

    private static async Task<ThroughputResult> MeasureCoreAsync(FunctionWorkload workload, BenchOptions options)
    {
        var output = new MemoryStream(1024 * 1024);
        var sequence = 0;

        // First run: checked, so a figure is never reported for a function that did not do the whole job.
        workload.ResetSinks();
        var responses = new List<byte[]>(workload.Events.Count);
        foreach (var payload in workload.Events)
        {
            await Invocation.InvokeAsync(workload.Handler, workload.Name, 512, payload, output, ++sequence);
            responses.Add(output.ToArray());
        }
        var problem = workload.Verify(responses);
        var warmup = Stopwatch.StartNew();
        for (var w = 1; w < options.Warmups || warmup.Elapsed.TotalSeconds < options.WarmupSeconds; w++)
            await RunOnceAsync(workload, output, () => ++sequence);

        var rates = new List<double>(options.Runs);
        long allocated = 0, sinkAllocated = 0;
        var wall = TimeSpan.Zero; // the function's time: measured minus the sinks'
        var measuredWall = TimeSpan.Zero;
        var cpu = TimeSpan.Zero;
        var gcPause = TimeSpan.Zero;
        using var process = Process.GetCurrentProcess();
        for (var r = 0; r < options.Runs; r++)
        {
            workload.ResetSinks();
            process.Refresh();
            var cpuStart = process.TotalProcessorTime;
            var sinkStart = SinkAllocations.Bytes;
            var sinkTimeStart = SinkAllocations.Elapsed;
            var allocStart = GC.GetTotalAllocatedBytes(precise: true);
            var pauseStart = GC.GetTotalPauseDuration();
            var start = Stopwatch.GetTimestamp();
            foreach (var payload in workload.Events)
                await Invocation.InvokeAsync(workload.Handler, workload.Name, 512, payload, output, ++sequence);
            // The sinks' own time (modelling DynamoDB, S3, Kinesis in memory) is not the function's work.
            var measured = Stopwatch.GetElapsedTime(start);
            var elapsed = measured - (SinkAllocations.Elapsed - sinkTimeStart);
            gcPause += GC.GetTotalPauseDuration() - pauseStart;
            allocated += GC.GetTotalAllocatedBytes(precise: true) - allocStart;
            sinkAllocated += SinkAllocations.Bytes - sinkStart;
            process.Refresh();
            cpu += process.TotalProcessorTime - cpuStart;
            wall += elapsed;
            measuredWall += measured;
            rates.Add(workload.RecordsPerRun / elapsed.TotalSeconds);
        }

        var records = (double)workload.RecordsPerRun * options.Runs;
        return new ThroughputResult(
            workload.Name,
            workload.BatchDescription,
            workload.Events.Count,
            workload.RecordsPerRun,
            rates,
            workload.EventBytesPerRun * options.Runs / wall.TotalSeconds / 1e6,
            (allocated - sinkAllocated) / records,
            cpu / measuredWall,
            gcPause / measuredWall,
            workload.Target,
            problem);
    }

    private static async Task RunOnceAsync(FunctionWorkload workload, MemoryStream output, Func<int> sequence)
    {
        workload.ResetSinks();
        foreach (var payload in workload.Events)
            await Invocation.InvokeAsync(workload.Handler, workload.Name, 512, payload, output, sequence());
    }
}

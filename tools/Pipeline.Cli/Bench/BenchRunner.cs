using Pipelines.Cli.Bench.Profiling;
using Pipelines.Cli.Bench.Sinks;
using Pipelines.Cli.Bench.Workloads;
using Pipelines.LocalCloud.Emulators;
using Pipelines.LocalCloud.Topology;
using Pipelines.Shared.Observability;

namespace Pipelines.Cli.Bench;

/// <summary>Runs every benchmark in this process, one after the other, and collects the report.</summary>
internal static class BenchRunner
{
    /// <summary>The five stream functions, in pipeline order; the catalog has its own benchmark.</summary>
    public static readonly string[] StreamFunctions =
        ["review-ingestion-processor", "event-archiver", "county-aggregator", "orders-cdc-publisher", "orders-firehose-transform"];

    public static async Task<BenchReport> RunAsync(BenchOptions options, Action<string> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var machine = MachineInfo.Capture();
        var repoRoot = RepoLocator.FindRepoRoot();
        var topology = new BenchTopology(TopologyReader.LoadFromRepo(repoRoot));
        var notes = new List<string>();
        var functions = new List<ThroughputResult>();
        CatalogResult? catalog = null;
        Directory.CreateDirectory(options.WorkDirectory);

        // Functions log one line per batch and flush EMF after each invocation: built as in Lambda, counted, not printed.
        var telemetry = new DiscardTelemetryOutput();
        var previousLevel = Log.MinimumLevel;
        Log.MinimumLevel = LogLevel.Info;
        var profiles = new List<FunctionProfile>();
        var workloads = new List<FunctionWorkload>();
        try
        {
            using (TelemetryOutput.Use(telemetry))
            {
                // First, while the process holds nothing else: its peak memory is what a catalog Lambda would see.
                if (options.Catalog && options.Includes("catalog-consolidator"))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    catalog = await CatalogBench.RunAsync(topology, options, progress);
                    progress($"catalog-consolidator: {Format.Number(catalog.Median, 1)} MB/s, peak {Format.Bytes(catalog.PeakWorkingSet)}{(catalog.Problem is null ? "" : " FAILED: " + catalog.Problem)}");
                }
                foreach (var name in StreamFunctions.Where(options.Includes))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    progress($"{name}: generating events");
                    var workload = Create(name, topology, options);
                    workloads.Add(workload);
                    progress($"{name}: {workload.Events.Count} invocations x {options.Warmups} warm-up + {options.Runs} timed runs");
                    var result = await ThroughputMeter.MeasureAsync(workload, options);
                    functions.Add(result);
                    progress($"{name}: {Format.Count(result.Median)} records/s, {Format.Count(result.BytesAllocatedPerRecord)} B/record{(result.Problem is null ? "" : " FAILED: " + result.Problem)}");
                }
                // Last, because listening to the runtime's allocation events slows everything measured after it.
                if (options.Profile) profiles.AddRange(await ProfileAsync(workloads, functions, progress));
            }
        }
        finally
        {
            foreach (var w in workloads) w.Dispose();
            Log.MinimumLevel = previousLevel;
        }
        notes.Add($"Functions wrote {Format.Count(telemetry.Lines)} log/EMF lines ({Format.Bytes(telemetry.Bytes)}) during the run; they were built as in Lambda and discarded.");

        var coldStarts = options.ColdStartRuns > 0
            ? await ColdStartBench.RunAsync(topology, repoRoot, options, progress, cancellationToken)
            : [];

        EndToEndResult? endToEnd = null;
        if (options.EndToEnd)
        {
            progress("end to end: running the main job (run-local) on the local cloud");
            endToEnd = await EndToEndBench.RunAsync(repoRoot, options, progress, cancellationToken);
        }

        var costs = new List<CostRow>();
        foreach (var f in functions.Where(f => f.Problem is null))
        {
            var spec = topology.Function(f.Function);
            // Firehose invokes with whatever fits its processor buffer; the others with the mapping's batch size.
            var batch = spec.Source.Type == "firehose" ? f.RecordsPerRun / f.Invocations : spec.Source.BatchSize;
            costs.Add(CostModel.For(f.Function, batch, f.MsPerRecord));
        }
        if (catalog is { Problem: null })
            costs.Add(CostModel.For("catalog-consolidator", (int)catalog.LinesPerInvocation, catalog.MsPerLine));

        return new BenchReport(machine, options, functions, catalog, coldStarts, costs, profiles, endToEnd, notes, MachineInfo.ReadLoadAverage());
    }

    private static async Task<List<FunctionProfile>> ProfileAsync(List<FunctionWorkload> workloads, List<ThroughputResult> results, Action<string> progress)
    {
        var profiles = new List<FunctionProfile>();
        using var sampler = new AllocationSampler();
        foreach (var (workload, result) in workloads.Zip(results))
        {
            progress($"{workload.Name}: profiling stages and allocations");
            sampler.Start();
            await SingleThread.RunAsync(async () =>
            {
                using var output = new MemoryStream();
                workload.ResetSinks();
                var sequence = 0;
                foreach (var payload in workload.Events)
                    await Invocation.InvokeAsync(workload.Handler, workload.Name, 512, payload, output, ++sequence);
                return 0;
            });
            var top = sampler.Stop(8);
            profiles.Add(await SingleThread.RunAsync(() => Task.FromResult(StageProfiler.Profile(workload, result, sampler, top))));
        }
        return profiles;
    }

    private static FunctionWorkload Create(string name, BenchTopology topology, BenchOptions options) => name switch
    {
        "review-ingestion-processor" => new ReviewsWorkload(topology, options),
        "event-archiver" => new EventsWorkload(topology, options),
        "county-aggregator" => new CountiesWorkload(topology, options),
        "orders-cdc-publisher" => new OrdersCdcWorkload(topology, options),
        "orders-firehose-transform" => new OrdersFirehoseWorkload(topology, options),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "no benchmark for this function"),
    };
}

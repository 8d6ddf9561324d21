using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Pipelines.Cli.Commands;
using Pipelines.Cli.Producers;
using Pipelines.LocalCloud.Host;
using Pipelines.LocalCloud.Topology;

namespace Pipelines.Cli.LocalRun;

/// <summary>
/// The main job (`./scripts/run-local.sh`): start the local cloud, provision it from the topology, run all five
/// producers with sample data, wait until every pipeline has drained, check each pipeline's end state against what its
/// producer says the inputs imply, print a summary, and shut down. Exit code 0 only when every end state is right.
/// </summary>
internal sealed class MainJob(MainJobOptions options, TextWriter output)
{
    private static readonly string[] Order = ["reviews", "events", "orders", "counties", "catalog"];

    /// <summary>Partners whose records the catalog must drop (set for every content type before files arrive).</summary>
    internal static readonly string[] Blacklisted = ["globex"];

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _catalogFiles;
    private readonly Dictionary<string, string?> _environmentBefore = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _progress = new(StringComparer.Ordinal);

    /// <summary>Each pipeline's summary line and checks, once the run has got that far.</summary>
    public IReadOnlyList<PipelineReport> Reports { get; private set; } = [];

    private void Say(string line) => output.WriteLine(line);

    private void Step(string line) => Say($"[{_clock.Elapsed.TotalSeconds,6:0.0}s] {line}");

    public async Task<int> RunAsync(CancellationToken ct)
    {
        try
        {
            return await RunCoreAsync(ct);
        }
        finally
        {
            // Leave the process as it was: the endpoints point at a cloud that is gone now.
            foreach (var (k, v) in _environmentBefore) Environment.SetEnvironmentVariable(k, v);
        }
    }

    private async Task<int> RunCoreAsync(CancellationToken ct)
    {
        var paths = new LocalPaths(options.RepoRoot);
        var stateDir = options.StateDirectory ?? paths.RunState;
        Say($"run-local: all five pipelines end to end on this machine ({(options.Small ? "small" : "full")} sample data)");
        Step("starting the local cloud: emulators, DynamoDB Streams proxy, SSM parameters, provisioning from topology/topology.json");
        Directory.CreateDirectory(stateDir);
        var hostLogPath = Path.Combine(Path.GetDirectoryName(stateDir)!, Path.GetFileName(stateDir) + ".log");
        await using var hostLog = new StreamWriter(hostLogPath, append: false) { AutoFlush = true };
        await using var host = await LocalCloudHost.StartAsync(new LocalCloudOptions
        {
            RepoRoot = options.RepoRoot,
            StateDirectory = stateDir,
            MaxBatchingWindow = options.TopologyWindows ? null : TimeSpan.FromSeconds(2),
            MaxFirehoseBufferInterval = options.TopologyWindows ? null : TimeSpan.FromSeconds(3),
            Log = line => { lock (hostLog) hostLog.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}"); },
            AfterProvisioning = SetPartnerPriorityAsync,
        }, ct);
        var env = host.ClientEnvironment();
        Step($"cloud up: {string.Join("  ", env.Where(kv => kv.Key.StartsWith("AWS_ENDPOINT_URL_", StringComparison.Ordinal) && !kv.Key.EndsWith("STREAMS", StringComparison.Ordinal)).Select(kv => $"{kv.Key["AWS_ENDPOINT_URL_".Length..].ToLowerInvariant()}={kv.Value}"))}");
        Step($"provisioned {host.Provisioned.Created.Count} resources ({Summarize(host.Provisioned.Created)})");
        if (!options.TopologyWindows)
            Step("note: batching windows capped at 2 s and Firehose buffers at 3 s for a fast local run (--topology-windows keeps the topology's)");

        Step("starting the six functions as Runtime API processes");
        var warm = await host.WarmUpAsync(TimeSpan.FromSeconds(60), ct);
        foreach (var w in warm)
            Step($"  {w.Function,-28} {(w.Ready ? $"ready after {w.Took.TotalMilliseconds:0} ms" : "FAILED: " + w.Problem)}");
        if (warm.Any(w => !w.Ready))
        {
            Say($"a function did not start; its output is in {host.LogDirectory}");
            return 1;
        }

        var reports = Order.ToDictionary(n => n, n => new PipelineReport(n), StringComparer.Ordinal);
        var produced = new ConcurrentDictionary<string, object>(StringComparer.Ordinal);
        var lastActivity = new ConcurrentDictionary<string, TimeSpan>(StringComparer.Ordinal);
        var producersStarted = _clock.Elapsed;
        Step("running the five producers");
        using var ticker = new CancellationTokenSource();
        var tick = TickAsync(host, lastActivity, ticker.Token);
        var producing = Task.WhenAll(
            Produce("reviews", reports, produced, () => new ReviewsProducer(host.Clients.Kinesis).RunAsync(new ReviewsProduceOptions
            {
                Count = options.Reviews, InvalidRatio = 0.1, Seed = 6,
                StreamName = host.Topology.Pipeline("reviews").Streams["reviews"].Name,
            }, new Progress<ReviewsProgress>(p => _progress["reviews"] = $"{p.Sent}/{p.Total} sent"), ct)),
            Produce("events", reports, produced, () => new EventsProducer(host.Clients.Kinesis).RunAsync(new EventsProduceOptions
            {
                Count = options.Events, DuplicateRate = 0.1, Seed = 6,
                StreamName = host.Topology.Pipeline("events").Streams["events"].Name,
            }, new Progress<EventsProgress>(p => _progress["events"] = $"{p.Sent}/{p.Total} sent"), ct)),
            Produce("orders", reports, produced, () => new OrdersProducer(host.Clients.DynamoDb).RunAsync(new OrdersProduceOptions
            {
                Count = options.Orders, UpdateRatio = 0.2, DeleteRatio = 0.05, Seed = 6,
                TableName = host.Topology.Pipeline("orders").Tables["orders"].Name,
            }, new Progress<OrdersProgress>(p => _progress["orders"] = $"{p.Phase} {p.Done}/{p.Total}"), ct)),
            Produce("counties", reports, produced, () => new CountiesProducer(host.Clients.Kinesis).RunAsync(new CountiesProduceOptions
            {
                CsvPath = Path.Combine(options.RepoRoot, "samples", "counties", "recommended-fishing-rivers.csv"),
                Rate = options.CountyRate, Limit = options.CountyRows,
                StreamName = host.Topology.Pipeline("counties").Streams["counties"].Name,
            }, new Progress<CountiesProgress>(p => _progress["counties"] = $"{p.Sent}/{p.Total} rows"), ct)),
            Produce("catalog", reports, produced, () => new CatalogProducer(host.Clients.S3).RunAsync(new CatalogProduceOptions(
                options.CatalogFiles, options.CatalogRecordsPerFile, Partners: 4, Overlap: 0.3, BadLines: 0.05,
                host.Topology.Pipeline("catalog").Buckets["source"].Name, DateOnly.FromDateTime(DateTime.UtcNow), Seed: 6),
                new Progress<CatalogFileWritten>(_ => _progress["catalog"] = $"{Interlocked.Increment(ref _catalogFiles)}/{options.CatalogFiles} files"), ct)));
        if (options.WhileProducing is { } hook) await hook(host, producing, ct);
        await producing;
        Step("all producers done; waiting for every pipeline to drain");

        var drained = await host.WaitForDrainAsync(TimeSpan.FromSeconds(3), options.DrainTimeout,
            new Progress<string>(p => _progress["drain"] = p), ct);
        await ticker.CancelAsync();
        await tick;
        if (!drained) Step($"NOT drained after {options.DrainTimeout.TotalSeconds:0}s: {_progress.GetValueOrDefault("drain")}");
        else Step("drained");

        Step("checking end states");
        var checks = new PipelineChecks(new EndState(host.Clients.S3, host.Clients.DynamoDb), host.Topology);
        await Check(reports["reviews"], produced, (ReviewsProduced p) => checks.ReviewsAsync(reports["reviews"], p, ct));
        await Check(reports["events"], produced, (EventsProduced p) => checks.EventsAsync(reports["events"], p, ct));
        await Check(reports["orders"], produced, (OrdersProduced p) => checks.OrdersAsync(reports["orders"], p, ct));
        await Check(reports["counties"], produced, (CountiesProduced p) => checks.CountiesAsync(reports["counties"], p, ct));
        await Check(reports["catalog"], produced, (CatalogProduced p) => checks.CatalogAsync(reports["catalog"], p, Blacklisted, ct));
        await CountDeadLettersAsync(host, reports, ct);
        foreach (var r in reports.Values.Where(r => r.Duplicates is null))
        {
            // Where the end state cannot tell duplicates apart, show what the functions counted (EMF metric Duplicates).
            var counted = host.Topology.Pipeline(r.Name).Functions.Select(f => host.Metrics.For(f.Name)).Where(m => m.ContainsKey("Duplicates")).ToList();
            if (counted.Count > 0) r.Duplicates = (long)counted.Sum(m => m["Duplicates"]);
        }
        foreach (var r in reports.Values)
        {
            r.Elapsed = lastActivity.GetValueOrDefault(r.Name, _clock.Elapsed) - producersStarted;
            if (!drained) r.Problems.Add("the pipeline did not drain in time");
        }

        Say("");
        Say(PipelineReport.Table([.. reports.Values]));
        foreach (var r in reports.Values)
        {
            foreach (var f in r.Facts) Say($"  {r.Name}: {f}");
            foreach (var p in r.Problems) Say($"  {r.Name}: WRONG: {p}");
        }
        Say("");
        Say("where to look:");
        foreach (var r in reports.Values) Say($"  {r.Name,-9} {string.Join("; ", r.Results)}");
        Say($"  functions  logs and EMF metrics: {host.LogDirectory}/<function>.log; host log: {hostLogPath}");
        Say($"  state      {host.StateDirectory} (emptied by the next run-local)");
        var ok = reports.Values.All(r => r.Ok);
        Say("");
        Say(ok
            ? $"run-local: OK: every pipeline's end state matches its inputs ({_clock.Elapsed.TotalSeconds:0.0}s)"
            : $"run-local: FAILED: {string.Join(", ", reports.Values.Where(r => !r.Ok).Select(r => r.Name))} ended in the wrong state ({_clock.Elapsed.TotalSeconds:0.0}s)");

        Reports = [.. reports.Values];
        if (options.BeforeShutdown is { } inspect) await inspect(host, produced, ct);
        if (options.Keep) await KeepRunningAsync(paths, host, ct);
        else Step("shutting down");
        return ok ? 0 : 1;
    }

    /// <summary>
    /// Partner priority rows, written with the same code `partners set` runs, before any event source starts: the
    /// consolidator caches priority for partner_cache_ttl_seconds from its first invocation (even an s3:TestEvent).
    /// </summary>
    private async Task SetPartnerPriorityAsync(LocalCloudHost host, CancellationToken ct)
    {
        // Commands reused in-process read their endpoints from the environment, as they would in a user's shell.
        foreach (var (k, v) in host.ClientEnvironment())
        {
            _environmentBefore.TryAdd(k, Environment.GetEnvironmentVariable(k));
            Environment.SetEnvironmentVariable(k, v);
        }
        Step("setting partner priority rows (partners set): blacklisting " + string.Join(", ", Blacklisted));
        foreach (var contentType in new[] { "hotel", "apartment", "hostel" })
        {
            // The command prints what it set; show that line in the job's own output (nothing else writes yet).
            var console = Console.Out;
            using var captured = new StringWriter();
            Console.SetOut(captured);
            int code;
            try
            {
                code = await new PartnersSetCommand().RunAsync(
                    CliArgs.Parse(["--content-type", contentType, "--order", "acme-travel,sunny_stays", "--blacklist", string.Join(',', Blacklisted)]), ct);
            }
            finally
            {
                Console.SetOut(console);
            }
            var said = captured.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (said.Length > 0) Step("  " + said[0]);
            if (code != 0) throw new InvalidOperationException($"partners set failed for {contentType} (exit {code}): {captured}");
        }
    }

    private async Task KeepRunningAsync(LocalPaths paths, LocalCloudHost host, CancellationToken ct)
    {
        paths.WriteEnvFile(host.ClientEnvironment());
        paths.WriteCloudInfo(new CloudInfoFile(Environment.ProcessId, DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            host.StateDirectory, new Dictionary<string, string>(host.ClientEnvironment()), "running (run-local --keep)"));
        Say($"--keep: the cloud stays up. In another shell: source {paths.EnvFile}, then e.g. ./scripts/pipeline report counties. Ctrl+C (or ./scripts/pipeline local down) stops it.");
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            Step("stopping");
        }
        finally
        {
            paths.ClearCloudInfo();
        }
    }

    private async Task Produce<T>(string pipeline, Dictionary<string, PipelineReport> reports, ConcurrentDictionary<string, object> produced, Func<Task<T>> run)
        where T : notnull
    {
        try
        {
            var result = await run();
            produced[pipeline] = result;
            _progress[pipeline] = "sent";
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            reports[pipeline].Problems.Add($"producer failed: {e.GetType().Name}: {e.Message}");
            _progress[pipeline] = "producer FAILED";
        }
    }

    private static async Task Check<T>(PipelineReport report, ConcurrentDictionary<string, object> produced, Func<T, Task> check)
    {
        if (!produced.TryGetValue(report.Name, out var p)) return;
        try
        {
            await check((T)p);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            report.Problems.Add($"could not read the end state: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>On-failure queues of the stream mappings and the catalog DLQ: anything there is a record given up on.</summary>
    private static async Task CountDeadLettersAsync(LocalCloudHost host, Dictionary<string, PipelineReport> reports, CancellationToken ct)
    {
        foreach (var pipeline in host.Topology.Pipelines)
        {
            var queues = pipeline.Functions.Select(f => f.Source.OnFailureQueue).OfType<string>()
                .Concat(pipeline.Queues.Values.Select(q => q.DlqName).OfType<string>());
            foreach (var q in queues)
            {
                var (visible, inFlight) = await host.QueueDepthAsync(q, ct);
                reports[pipeline.Name].Dlq += visible + inFlight;
                reports[pipeline.Name].Expect(visible + inFlight == 0, $"{visible + inFlight} messages in {q} (records given up on)");
            }
        }
    }

    private async Task TickAsync(LocalCloudHost host, ConcurrentDictionary<string, TimeSpan> lastActivity, CancellationToken ct)
    {
        var last = new Dictionary<string, long>(StringComparer.Ordinal);
        var nextPrint = TimeSpan.Zero;
        while (!ct.IsCancellationRequested)
        {
            foreach (var pipeline in Order)
            {
                var progress = host.PipelineStats(pipeline).Sum(s => s.Progress);
                if (!last.TryGetValue(pipeline, out var before) || before != progress)
                {
                    last[pipeline] = progress;
                    lastActivity[pipeline] = _clock.Elapsed;
                }
            }
            if (_clock.Elapsed >= nextPrint)
            {
                nextPrint = _clock.Elapsed + TimeSpan.FromSeconds(2);
                var parts = Order.Select(p =>
                {
                    var handled = host.PipelineStats(p).Sum(s => s.RecordsCompleted);
                    return $"{p} {_progress.GetValueOrDefault(p, "starting")}, {handled} handled";
                });
                Step(string.Join(" | ", parts) + (_progress.TryGetValue("drain", out var d) ? $" | {d}" : ""));
            }
            try { await Task.Delay(250, ct); }
            catch (OperationCanceledException) { return; }
        }
    }

    private static string Summarize(IReadOnlyList<string> created) =>
        string.Join(", ", created.GroupBy(c => c.Split(' ')[0]).Select(g => $"{g.Count()} {g.Key}s"));
}

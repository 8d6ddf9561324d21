using System.Globalization;
using System.Text;
using Pipelines.Cli.Bench.Profiling;
using Pipelines.Cli.Bench.Workloads;

namespace Pipelines.Cli.Bench;

/// <summary>Everything one <c>pipeline bench</c> run measured.</summary>
internal sealed record BenchReport(
    MachineInfo Machine,
    BenchOptions Options,
    IReadOnlyList<ThroughputResult> Functions,
    CatalogResult? Catalog,
    IReadOnlyList<ColdStartResult> ColdStarts,
    IReadOnlyList<CostRow> Costs,
    IReadOnlyList<FunctionProfile> Profiles,
    EndToEndResult? EndToEnd,
    IReadOnlyList<string> Notes,
    string EndLoadAverage)
{
    /// <summary>The throughput table's rows, the catalog included (records = jsonl lines).</summary>
    public IEnumerable<(string Function, double RecordsPerSecond)> Rows =>
        Functions.Select(f => (f.Function, f.Median))
            .Concat(Catalog is { } c ? [("catalog-consolidator", c.Median * 1e6 / c.InputBytes * c.Lines)] : []);

    public string ToMarkdown()
    {
        var md = new StringBuilder();
        var m = Machine;
        md.AppendLine(CultureInfo.InvariantCulture, $"# Benchmark results ({Options.Mode} run)");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"- Date: {m.Date:yyyy-MM-dd HH:mm} UTC");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Machine: {m.Cores} cores, {m.CpuModel}; {m.Os}");
        md.AppendLine(CultureInfo.InvariantCulture, $"- .NET: {m.DotNet} ({m.GcMode} GC)");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Load average (1, 5, 15 min): {m.LoadAverage} at start, {EndLoadAverage} at end");
        md.AppendLine(CultureInfo.InvariantCulture, $"- Method: {Options.Warmups} warm-up run(s) lasting at least {Options.WarmupSeconds:0.#} s, then {Options.Runs} timed runs per function on one thread; median (min-max) over the timed runs (the catalog: warm-up invocations for as long, then one over the measured input, then {Options.CatalogRuns} timed runs over it)");
        md.AppendLine();

        md.AppendLine("## Throughput per function (event bytes in -> requests out, in-memory sinks)");
        md.AppendLine();
        md.AppendLine("| function | batch | records/s (median) | spread (min-max) | MB/s | B allocated/record | GC pauses | CPU/wall | target | met? |");
        md.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var f in Functions)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {f.Function} | {f.Batch} | {Format.Count(f.Median)} | {Format.Count(f.Min)}-{Format.Count(f.Max)} | {Format.Number(f.MegabytesPerSecond, 1)} | {Format.Count(f.BytesAllocatedPerRecord)} | {Percent(f.GcPauseShare)} | {Format.Number(f.CpuPerWall, 2)} | {f.Target.Describe()} | {Verdict(f.Met, f.Problem)} |");
        }
        if (Catalog is { } c)
        {
            var linesPerSecond = c.Median * 1e6 / c.InputBytes * c.Lines;
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| catalog-consolidator | 10 messages, {Format.Bytes(c.InputBytes)} of jsonl | {Format.Count(linesPerSecond)} lines/s | {Format.Number(c.MegabytesPerSecond.Min(), 1)}-{Format.Number(c.MegabytesPerSecond.Max(), 1)} MB/s | {Format.Number(c.Median, 1)} | {Format.Count(c.BytesAllocatedPerLine)} | {Percent(c.GcPauseShare)} | {Format.Number(c.CpuPerWall, 2)} | >= {CatalogResult.TargetMegabytesPerSecond} MB/s | {Verdict(c.SpeedMet, c.Problem)} |");
        }
        md.AppendLine();
        md.AppendLine("MB/s counts the event JSON Lambda delivers (for the catalog: the jsonl objects read). Records/s and B allocated/record exclude the time and bytes the in-memory sinks spend to model their services (decoding request bodies into tables, evaluating conditions); everything up to the signed request is counted. GC pauses: share of the time the runtime stopped the work to collect. CPU/wall near 1.00 shows the work ran on one core (above 1: the GC's and JIT's background threads).");
        md.AppendLine();

        if (Catalog is { } cat)
        {
            md.AppendLine("## catalog-consolidator: streaming and memory");
            md.AppendLine();
            md.AppendLine("| input | lines | accommodations out | MB/s (median) | peak working set | peak GC heap | baseline before run | winners' bytes (output) | limit (2x winners + 100 MB) | met? |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|");
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {cat.Files} files, {Format.Bytes(cat.InputBytes)} | {Format.Count(cat.Lines)} | {Format.Count(cat.Accommodations)} | {Format.Number(cat.Median, 1)} | {Format.Bytes(cat.PeakWorkingSet)} ({cat.PeakMethod}) | {Format.Bytes(cat.PeakGcHeap)} | {Format.Bytes(cat.BaselineWorkingSet)} | {Format.Bytes(cat.WinnersBytes)} in {cat.OutputObjects} objects | {Format.Bytes(cat.PeakLimit)} | {Verdict(cat.PeakMet, cat.Problem)} |");
            md.AppendLine();
            md.AppendLine("Peak working set is the benchmark process's resident memory during the invocation, runtime and loaded code included (the catalog runs first, so no other benchmark's data is held; the input files' page cache is not part of it), as Lambda would count it. Peak GC heap is the managed heap (live objects plus uncollected garbage), sampled every 10 ms.");
            md.AppendLine();
        }

        if (Catalog is { Stages.Count: > 0 } profiled)
        {
            md.AppendLine("### catalog-consolidator: where the time goes (stopwatch splits, --profile)");
            md.AppendLine();
            md.AppendLine("| stage | µs/line | B allocated/line |");
            md.AppendLine("|---|---:|---:|");
            foreach (var stage in profiled.Stages)
                md.AppendLine(CultureInfo.InvariantCulture, $"| {stage.Stage} | {Format.Number(stage.MicrosecondsPerRecord, 2)} | {Format.Count(stage.BytesPerRecord)} |");
            md.AppendLine();
        }

        if (ColdStarts.Count > 0)
        {
            md.AppendLine("## Cold start (process start -> first response on a loopback Runtime API)");
            md.AppendLine();
            md.AppendLine("| function | build | runs | median ms | min-max ms | target | met? |");
            md.AppendLine("|---|---|---:|---:|---:|---|---|");
            foreach (var s in ColdStarts)
            {
                var figures = s.MedianMs is { } median
                    ? $"{Format.Ms(median)} | {Format.Ms(s.MinMs!.Value)}-{Format.Ms(s.MaxMs!.Value)}"
                    : "- | -";
                var target = s.Build == "bootstrap" ? $"<= {ColdStartResult.BootstrapTargetMs} ms" : "-";
                var met = s.Met switch { true => "yes", false => "**no**", null => s.Build == "bootstrap" ? "not measured" : "-" };
                md.AppendLine(CultureInfo.InvariantCulture, $"| {s.Function} | {s.Build} | {s.Runs} | {figures} | {target} | {met}{(s.Note is null ? "" : ": " + s.Note)} |");
            }
            md.AppendLine();
        }

        if (Costs.Count > 0)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"## Lambda cost per million records at {CostModel.MemoryMb} MB (x86, $0.0000166667 per GB-s, $0.20 per million requests)");
            md.AppendLine();
            md.AppendLine("| function | records per invocation | ms/record (1 core) | duration | requests | total | total at 512 MB's CPU share (x3.46 time) |");
            md.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
            foreach (var c2 in Costs)
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| {c2.Function} | {Format.Count(c2.BatchSize)} | {c2.MsPerRecord.ToString("0.00000", CultureInfo.InvariantCulture)} | {Format.Money(c2.DurationDollars)} | {Format.Money(c2.RequestDollars)} | {Format.Money(c2.TotalDollars)} | {Format.Money(c2.CpuShareTotalDollars)} |");
            }
            md.AppendLine();
            md.AppendLine("Duration is the function's own CPU work only: time spent waiting on DynamoDB, S3 or Kinesis is billed too and usually dominates. Billed time is rounded up to 1 ms per invocation. Records per invocation: the topology's batch size (review-ingestion-processor: 500), Firehose's 1 MB processor buffer, the catalog's 10-message batch.");
            md.AppendLine();
        }

        if (EndToEnd is { } e2e)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"## End to end on the local cloud (run-local{(e2e.Small ? " --small" : "")}; emulator-bound, no target)");
            md.AppendLine();
            if (e2e.Problem is not null)
            {
                md.AppendLine("Not measured: " + e2e.Problem);
            }
            else
            {
                md.AppendLine("| pipeline | records in | elapsed s | records/s | end state |");
                md.AppendLine("|---|---:|---:|---:|---|");
                foreach (var r in e2e.Rows)
                    md.AppendLine(CultureInfo.InvariantCulture, $"| {r.Pipeline} | {Format.Count(r.Records)} | {Format.Number(r.Seconds, 1)} | {Format.Number(r.RecordsPerSecond, 1)} | {r.EndState} |");
                md.AppendLine();
                md.AppendLine("Elapsed runs from the first produced record to the pipeline's last activity; producers pace some sources on purpose (counties at tens of rows/s), and every call goes through the npm emulators.");
            }
            md.AppendLine();
        }

        if (Profiles.Count > 0)
        {
            md.AppendLine("## Where the time and allocation go (stopwatch splits, --profile)");
            md.AppendLine();
            md.AppendLine("Each stage runs alone over one run's records; the last row is the whole handler minus the stages. Allocated types are the runtime's GCAllocationTick samples (about one per 100 KB) over one run.");
            md.AppendLine();
            foreach (var p in Profiles)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"### {p.Function}: {Format.Number(p.TotalMicrosecondsPerRecord, 2)} µs and {Format.Count(p.TotalBytesPerRecord)} B per record");
                md.AppendLine();
                md.AppendLine("| stage | µs/record | share | B allocated/record | most-allocated types |");
                md.AppendLine("|---|---:|---:|---:|---|");
                foreach (var stage in p.Stages)
                {
                    var share = p.TotalMicrosecondsPerRecord > 0 ? stage.MicrosecondsPerRecord / p.TotalMicrosecondsPerRecord : 0;
                    md.AppendLine(CultureInfo.InvariantCulture,
                        $"| {stage.Stage} | {Format.Number(stage.MicrosecondsPerRecord, 2)} | {share.ToString("0%", CultureInfo.InvariantCulture)} | {Format.Count(stage.BytesPerRecord)} | {Types(stage.TopTypes)} |");
                }
                md.AppendLine();
                if (p.TopAllocations.Count > 0)
                {
                    md.AppendLine("Most-allocated types over a whole run: " + Types(p.TopAllocations));
                    md.AppendLine();
                }
            }
        }

        if (Notes.Count > 0)
        {
            md.AppendLine("## Notes");
            md.AppendLine();
            foreach (var note in Notes) md.AppendLine("- " + note);
            md.AppendLine();
        }
        return md.ToString();
    }

    private static string Percent(double share) => share.ToString("0%", CultureInfo.InvariantCulture);

    private static string Types(IReadOnlyList<(string Type, double Share)> types) =>
        string.Join(", ", types.Select(t => $"`{ShortType(t.Type)}` {t.Share.ToString("0%", CultureInfo.InvariantCulture)}"));

    /// <summary>Drops namespaces (System.Collections.Generic.Dictionary`2[...] -> Dictionary`2[...]) to keep tables readable.</summary>
    private static string ShortType(string type)
    {
        var generic = type.IndexOf('[', StringComparison.Ordinal);
        var head = generic < 0 ? type : type[..generic];
        var tail = generic < 0 ? "" : type[generic..];
        var dot = head.LastIndexOf('.');
        return (dot < 0 ? head : head[(dot + 1)..]) + tail.Replace("System.Collections.Generic.", "", StringComparison.Ordinal)
            .Replace("System.", "", StringComparison.Ordinal).Replace("Amazon.DynamoDBv2.Model.", "", StringComparison.Ordinal)
            .Replace("Pipelines.", "", StringComparison.Ordinal);
    }

    private static string Verdict(bool met, string? problem) =>
        problem is not null ? $"**FAILED**: {problem}" : met ? "yes" : "**no**";
}

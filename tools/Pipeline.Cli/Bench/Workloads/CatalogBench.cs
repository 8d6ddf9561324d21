using System.Diagnostics;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using Pipelines.Catalog;
using Pipelines.Catalog.Domain;
using Pipelines.Catalog.Priority;
using Pipelines.Catalog.Processing;
using Pipelines.Catalog.Storage;
using Pipelines.Cli.Bench.Generators;
using Pipelines.Cli.Bench.Profiling;
using Pipelines.Cli.Bench.Sinks;

namespace Pipelines.Cli.Bench.Workloads;

/// <summary>catalog-consolidator's figures: jsonl MB/s from the object streams to uploaded /tmp files, and peak memory.</summary>
internal sealed record CatalogResult(
    long InputBytes,
    int Files,
    long Lines,
    long Accommodations,
    IReadOnlyList<double> MegabytesPerSecond,
    long PeakWorkingSet,
    long PeakGcHeap,
    long BaselineWorkingSet,
    string PeakMethod,
    long WinnersBytes,
    int OutputObjects,
    double BytesAllocatedPerLine,
    double CpuPerWall,
    double GcPauseShare,
    IReadOnlyList<StageFigure> Stages,
    string? Problem)
{
    public const double TargetMegabytesPerSecond = 150;

    public double Median => Stats.Median([.. MegabytesPerSecond.Order()]);

    /// <summary>The ceiling: twice the consolidated output plus 100 MB.</summary>
    public long PeakLimit => 2 * WinnersBytes + 100_000_000;

    public bool SpeedMet => Problem is null && Median >= TargetMegabytesPerSecond;

    public bool PeakMet => Problem is null && PeakWorkingSet <= PeakLimit;

    /// <summary>Milliseconds of work per jsonl line at the median rate.</summary>
    public double MsPerLine => 1000 / (Median * 1e6 / InputBytes * Lines);

    /// <summary>Lines one invocation of 10 such files carries.</summary>
    public long LinesPerInvocation => Lines;
}

/// <summary>
/// One SQS batch of 10 messages, each naming a partner file (200 MB in all for the full run), through the real handler:
/// objects streamed from disk by an in-memory S3, consolidated, spooled to /tmp, uploaded to the in-memory S3.
/// </summary>
internal static class CatalogBench
{
    private const int Files = 10;

    public static async Task<CatalogResult> RunAsync(BenchTopology topology, BenchOptions options, Action<string> progress)
    {
        var spec = topology.Function("catalog-consolidator");
        var env = topology.Environment(spec);
        var pipeline = topology.Document.Pipeline(spec.Pipeline);
        var sourceBucket = pipeline.Buckets["source"].Name;
        var outputBucket = env["OUTPUT_BUCKET"];
        var priorityTable = env["PARTNER_PRIORITY_TABLE"];
        var queue = pipeline.Queues[spec.Source.Queue!].Name;

        progress($"catalog-consolidator: preparing {Format.Bytes(options.CatalogBytes)} of partner files under {options.WorkDirectory}");
        var input = CatalogFiles.Ensure(Path.Combine(options.WorkDirectory, $"catalog-input-{options.CatalogBytes}"), Files, options.CatalogBytes / Files);
        var warmup = CatalogFiles.Ensure(Path.Combine(options.WorkDirectory, "catalog-warmup"), Files, Math.Max(20_000, options.CatalogBytes / 100));

        using var s3 = new InMemoryS3();
        foreach (var file in input.Files.Concat(warmup.Files)) s3.RegisterSource(sourceBucket, file.Key, file.Path);
        using var dynamo = topology.DynamoFor(spec);
        SeedPriorities(dynamo, priorityTable);
        var processor = new CatalogBatchProcessor(
            new S3CatalogObjectStore(s3),
            new S3CatalogOutputStore(s3, outputBucket),
            new CachedPartnerPriority(new DynamoDbPartnerPrioritySource(dynamo, priorityTable), TimeProvider.System),
            TimeProvider.System);
        var settings = new CatalogSettings { OutputBucket = outputBucket, TempDirectory = Path.Combine(options.WorkDirectory, "catalog-consolidator-tmp") };
        var handler = new CatalogConsolidatorHandler(processor, BenchTopology.Tunables(spec), settings);

        var output = new MemoryStream();
        var sequence = 0;
        var warmupEvent = CatalogFiles.SqsEvent(warmup, sourceBucket, queue);
        var measuredEvent = CatalogFiles.SqsEvent(input, sourceBucket, queue);
        // Warm up as long as the other functions do: one small invocation left the once-per-invocation loops
        // (ordering, spooling) in unoptimised tiered-JIT code for the first measured run.
        var warmupClock = Stopwatch.StartNew();
        var warmups = 0;
        do
        {
            await SingleThread.RunAsync(async () =>
            {
                await Invocation.InvokeAsync(handler, spec.Name, 512, warmupEvent, output, ++sequence);
                return 0;
            });
            warmups++;
        }
        while (warmupClock.Elapsed.TotalSeconds < options.WarmupSeconds);
        // Then one batch of the measured size, as a warm container has had: what it keeps between invocations (arena
        // chunks, state arrays, spool files) reaches that batch's size here, not in the first measured run.
        await SingleThread.RunAsync(async () =>
        {
            await Invocation.InvokeAsync(handler, spec.Name, 512, measuredEvent, output, ++sequence);
            return 0;
        });
        progress($"catalog-consolidator: {warmups} warm-up invocations over {Format.Bytes(warmup.TotalBytes)} and one over {Format.Bytes(input.TotalBytes)} in {warmupClock.Elapsed.TotalSeconds:0.0} s");

        var rates = new List<double>();
        long peak = 0, heapPeak = 0, baseline = 0, winners = 0, allocated = 0;
        var cpu = TimeSpan.Zero;
        var wall = TimeSpan.Zero;
        var gcPause = TimeSpan.Zero;
        using var process = Process.GetCurrentProcess();
        var objects = 0;
        string? problem = null, method = "";
        for (var run = 0; run < options.CatalogRuns; run++)
        {
            progress($"catalog-consolidator: run {run + 1}/{options.CatalogRuns} over {Format.Bytes(input.TotalBytes)}");
            s3.Reset();
            GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            using var memory = PeakMemory.Start();
            var allocStart = GC.GetTotalAllocatedBytes(precise: true);
            process.Refresh();
            var cpuStart = process.TotalProcessorTime;
            var pauseStart = GC.GetTotalPauseDuration();
            var start = Stopwatch.GetTimestamp();
            await SingleThread.RunAsync(async () =>
            {
                await Invocation.InvokeAsync(handler, spec.Name, 512, measuredEvent, output, ++sequence);
                return 0;
            });
            var elapsed = Stopwatch.GetElapsedTime(start);
            gcPause += GC.GetTotalPauseDuration() - pauseStart;
            process.Refresh();
            cpu += process.TotalProcessorTime - cpuStart;
            wall += elapsed;
            allocated += GC.GetTotalAllocatedBytes(precise: true) - allocStart;
            peak = Math.Max(peak, memory.Peak());
            heapPeak = Math.Max(heapPeak, memory.HeapPeak);
            baseline = memory.Baseline;
            method = memory.Method;
            rates.Add(input.TotalBytes / elapsed.TotalSeconds / 1e6);

            var outputs = s3.Objects.Where(o => o.Bucket == outputBucket && !o.Key.StartsWith("rejected/", StringComparison.Ordinal)).ToList();
            winners = outputs.Sum(o => o.Bytes);
            objects = outputs.Count;
            problem ??= Verify(output.ToArray(), outputs, input.Accommodations);
        }
        // The spool files a warm container keeps (the measured runs after the first wrote over them) are not kept here.
        if (Directory.Exists(settings.SpoolDirectory)) Directory.Delete(settings.SpoolDirectory, recursive: true);

        return new CatalogResult(input.TotalBytes, Files, input.Lines, input.Accommodations, rates, peak, heapPeak, baseline, method, winners, objects,
            (double)allocated / (input.Lines * Math.Max(1, options.CatalogRuns)), cpu / wall, gcPause / wall,
            options.Profile ? await ProfileAsync(input, Stats.Median([.. rates.Order()]), progress) : [], problem);
    }

    /// <summary>
    /// Stopwatch splits over the same input, each pass on its own: reading lines from the object streams, then also
    /// parsing them, then also consolidating them. What is left is spooling, uploading and the handler's plumbing.
    /// </summary>
    private static async Task<IReadOnlyList<StageFigure>> ProfileAsync(CatalogFiles.Input input, double medianMegabytesPerSecond, Action<string> progress)
    {
        progress("catalog-consolidator: profiling stages");
        var sources = input.Files.Select((f, i) => new SourceObject(i, "source", f.Key, new DateOnly(2024, 5, 1))).ToList();
        var read = await PassAsync(input, (_, _, _) => { });
        // The arena and the state draw on the same chunks and arrays the handler's did, as the next invocation would.
        using var context = new ConsolidationContext(PartnerPriorityBook.Empty, sources, BatchConsolidation.ArenaChunks)
        {
            Reserve = BatchConsolidation.StateArrays,
        };
        using var parser = new CatalogLineParser(context.FieldNames);
        var parse = await PassAsync(input, (line, _, _) => parser.Parse(line));
        // As the handler does: each message (here: one file) is read between Begin and Commit into the batch's state.
        var batch = new ConsolidationState(context);
        var current = -1;
        var consolidate = await PassAsync(input, (line, file, number) =>
        {
            if (file != current)
            {
                if (current >= 0) batch.CommitMessage();
                batch.BeginMessage();
                current = file;
            }
            if (parser.Parse(line) is null) batch.Add(parser, file, number, file);
        });
        var mergeStart = Stopwatch.GetTimestamp();
        var mergeAllocated = GC.GetTotalAllocatedBytes(precise: true);
        batch.CommitMessage();
        var lastMerge = (Stopwatch.GetElapsedTime(mergeStart).TotalMicroseconds, GC.GetTotalAllocatedBytes(precise: true) - mergeAllocated);

        var spoolDirectory = Path.Combine(Path.GetTempPath(), "pipeline-bench-profile-spool");
        var pool = new SpoolFilePool(spoolDirectory, long.MaxValue);
        // A warm container's spool file exists (the measured runs wrote over theirs): the timed pass writes over one too.
        var existing = pool.Lease();
        using (var fill = File.OpenHandle(existing, FileMode.Create, FileAccess.Write))
        {
            var zeros = new byte[1 << 20];
            for (long at = 0; at < input.TotalBytes; at += zeros.Length) RandomAccess.Write(fill, zeros, at);
        }
        pool.Return([existing]);
        var spoolAllocated = GC.GetTotalAllocatedBytes(precise: true);
        var spoolStart = Stopwatch.GetTimestamp();
        OutputSpooler.Write(batch, new DateOnly(2024, 5, 1), _ => new RollingJsonlWriter(pool.Lease(), 500_000, overwriteInPlace: true));
        var spool = (Stopwatch.GetElapsedTime(spoolStart).TotalMicroseconds, GC.GetTotalAllocatedBytes(precise: true) - spoolAllocated);
        Directory.Delete(spoolDirectory, recursive: true);
        batch.Release(); // hands the arrays back for the next invocation, as the handler does

        var perLine = 1.0 / input.Lines;
        var total = input.TotalBytes / (medianMegabytesPerSecond * 1e6) * 1e6 / input.Lines;
        var consolidateMicros = consolidate.Microseconds + lastMerge.Item1;
        var consolidateBytes = consolidate.Bytes + lastMerge.Item2;
        return
        [
            new("JsonLineReader: lines from the object streams", read.Microseconds * perLine, read.Bytes * perLine, []),
            new("CatalogLineParser.Parse", (parse.Microseconds - read.Microseconds) * perLine, (parse.Bytes - read.Bytes) * perLine, []),
            new("ConsolidationState.Add, each message begun and committed", (consolidateMicros - parse.Microseconds) * perLine, (consolidateBytes - parse.Bytes) * perLine, []),
            new("OutputSpooler.Write: sort, format, write /tmp files", spool.Item1 * perLine, spool.Item2 * perLine, []),
            new("rest: uploads, temp directory, plumbing", Math.Max(0, total - (consolidateMicros + spool.Item1) * perLine), 0, []),
        ];
    }

    private static async Task<(double Microseconds, long Bytes)> PassAsync(CatalogFiles.Input input, Action<System.Buffers.ReadOnlySequence<byte>, int, long> onLine)
    {
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < input.Files.Count; i++)
        {
            await using var stream = new SyncFileReadStream(input.Files[i].Path);
            await using var reader = new JsonLineReader(stream, 16 * 1024 * 1024);
            while (await reader.MoveNextAsync()) onLine(reader.Current, i, reader.LineNumber);
        }
        return (Stopwatch.GetElapsedTime(start).TotalMicroseconds, GC.GetTotalAllocatedBytes(precise: true) - allocated);
    }

    private static string? Verify(byte[] response, List<InMemoryS3.StoredObject> outputs, long accommodations)
    {
        using var doc = JsonDocument.Parse(response);
        if (doc.RootElement.TryGetProperty("batchItemFailures", out var failures) && failures.GetArrayLength() > 0)
            return $"{failures.GetArrayLength()} message(s) reported as failed";
        var records = outputs.Sum(o => o.Lines);
        if (records != accommodations) return $"{records} consolidated records written, expected {accommodations}";
        var oversized = outputs.FirstOrDefault(o => o.Bytes > 500_000 && o.Lines > 1);
        return oversized.Key is null ? null : $"output object {oversized.Key} holds {oversized.Bytes} bytes (limit 500,000)";
    }

    /// <summary>The partner-priority rows a real deployment holds (partners listed for hotels and apartments; hostels unranked).</summary>
    private static void SeedPriorities(InMemoryDynamoDb dynamo, string table)
    {
        dynamo.Seed(table, Row("hotel", ["globetrek", "sunny_stays", "casa_connect"]));
        dynamo.Seed(table, Row("apartment", ["casa_connect", "urban_nest"]));

        static Dictionary<string, AttributeValue> Row(string contentType, string[] partners) => new(StringComparer.Ordinal)
        {
            [DynamoDbPartnerPrioritySource.ContentTypeAttribute] = new() { S = contentType },
            [DynamoDbPartnerPrioritySource.PartnersAttribute] = new() { L = [.. partners.Select(p => new AttributeValue { S = p })] },
            [DynamoDbPartnerPrioritySource.BlacklistedAttribute] = new() { L = [] },
        };
    }
}

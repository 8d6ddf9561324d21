namespace Pipelines.Cli.Bench;

/// <summary>How big and how long a benchmark run is: full (bench/RESULTS.md), quick (a CI smoke run) or smoke (a unit test).</summary>
internal sealed record BenchOptions
{
    public required string Mode { get; init; }

    /// <summary>Untimed runs first: JIT tiering settles and the sinks' tables reach their steady size.</summary>
    public int Warmups { get; init; }

    /// <summary>
    /// Warm-up also lasts at least this long: tiered JIT promotes hot methods in the background only after they have
    /// run a while, and a few short runs left much of a fast function in unoptimised code (reported 3x too slow).
    /// </summary>
    public double WarmupSeconds { get; init; }

    /// <summary>Timed runs per function; median and spread are taken over these.</summary>
    public int Runs { get; init; }

    /// <summary>Multiplies each function's invocations per run (1 = about 20,000 records per run).</summary>
    public double BatchScale { get; init; } = 1;

    /// <summary>Overrides every function's records per invocation (the smoke test uses tiny batches).</summary>
    public int? RecordsPerBatch { get; init; }

    public bool Catalog { get; init; } = true;

    /// <summary>Total jsonl bytes of the catalog input (10 files).</summary>
    public long CatalogBytes { get; init; }

    public int CatalogRuns { get; init; }

    /// <summary>Cold starts per build and function (0 skips the cold start section).</summary>
    public int ColdStartRuns { get; init; }

    /// <summary>Functions to run (null: all).</summary>
    public IReadOnlySet<string>? Only { get; init; }

    public bool EndToEnd { get; init; }

    /// <summary>After the timed runs, split each function's time and allocation by stage and sample allocated types.</summary>
    public bool Profile { get; init; }

    /// <summary>Where generated inputs and the catalog's /tmp directory live.</summary>
    public string WorkDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "pipeline-bench");

    public bool Includes(string function) => Only is null || Only.Contains(function);

    public static BenchOptions Full => new()
    {
        Mode = "full", Warmups = 3, WarmupSeconds = 6, Runs = 10, BatchScale = 1, CatalogBytes = 200L * 1000 * 1000, CatalogRuns = 5, ColdStartRuns = 20,
    };

    public static BenchOptions Quick => new()
    {
        Mode = "quick", Warmups = 2, WarmupSeconds = 2, Runs = 5, BatchScale = 0.25, CatalogBytes = 10L * 1000 * 1000, CatalogRuns = 3, ColdStartRuns = 3,
    };

    /// <summary>One tiny invocation per function: proves the harness end to end in a few seconds.</summary>
    public static BenchOptions Smoke => new()
    {
        Mode = "smoke", Warmups = 1, Runs = 1, BatchScale = 0.01, RecordsPerBatch = 20, CatalogBytes = 200_000, CatalogRuns = 1, ColdStartRuns = 0,
    };

    /// <summary>Invocations per run for a function whose full run makes <paramref name="full"/> of them.</summary>
    public int Batches(int full) => Math.Max(1, (int)Math.Round(full * BatchScale));

    public int BatchSize(int normal) => RecordsPerBatch ?? normal;
}

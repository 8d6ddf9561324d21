using Pipelines.Shared.Configuration;
using Pipelines.Shared.Resilience;

namespace Pipelines.Catalog.Processing;

/// <summary>Everything one invocation is configured with (environment + SSM tunables, re-read per invocation).</summary>
internal sealed record CatalogSettings
{
    public const string OutputBucketVariable = "OUTPUT_BUCKET";
    public const string PriorityTableVariable = "PARTNER_PRIORITY_TABLE";

    public required string OutputBucket { get; init; }

    /// <summary>This function's own directory under /tmp; emptied at the start and end of every invocation.</summary>
    public string TempDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "catalog-consolidator");

    /// <summary>The output spool files kept between invocations (see <see cref="Storage.SpoolFilePool"/>), beside <see cref="TempDirectory"/>.</summary>
    public string SpoolDirectory => TempDirectory.TrimEnd(Path.DirectorySeparatorChar) + "-spool";

    /// <summary>
    /// Spool bytes kept on /tmp between invocations: a quarter of the 1,024 MB the topology gives the function, so a
    /// batch's own files (and its rejects) always have room next to them.
    /// </summary>
    public long RetainedSpoolBytes { get; init; } = 256L * 1024 * 1024;

    public long MaxOutputFileBytes { get; init; } = 500_000;

    /// <summary>Longer lines are rejected without being buffered, so one runaway line cannot exhaust memory.</summary>
    public long MaxLineBytes { get; init; } = 16 * 1024 * 1024;

    /// <summary>Time kept back for spooling and uploading what was read: no new message starts with less left.</summary>
    public TimeSpan UploadReserve { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan PartnerCacheTtl { get; init; } = TimeSpan.FromSeconds(300);

    public int UploadParallelism { get; init; } = 4;

    public RetryOptions WriteRetry { get; init; } = new() { MaxAttempts = 6 };

    public RetryOptions ReadRetry { get; init; } = new() { MaxAttempts = 3 };

    /// <summary>Applies the SSM tunables (topology: partner_cache_ttl_seconds, max_output_file_bytes, sink_max_attempts).</summary>
    public CatalogSettings WithTunables(Tunables tunables)
    {
        ArgumentNullException.ThrowIfNull(tunables);
        return this with
        {
            PartnerCacheTtl = TimeSpan.FromSeconds(Math.Max(0, tunables.GetInt("partner_cache_ttl_seconds", (int)PartnerCacheTtl.TotalSeconds))),
            MaxOutputFileBytes = Math.Max(2, tunables.GetInt("max_output_file_bytes", (int)MaxOutputFileBytes)),
            WriteRetry = WriteRetry with { MaxAttempts = Math.Max(1, tunables.GetInt("sink_max_attempts", WriteRetry.MaxAttempts)) },
            UploadReserve = TimeSpan.FromSeconds(Math.Max(1, tunables.GetInt("upload_reserve_seconds", (int)UploadReserve.TotalSeconds))),
        };
    }
}

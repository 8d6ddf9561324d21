namespace Pipelines.Cli.LocalRun;

/// <summary>How big the main job's sample data is. <see cref="Small"/> is what CI runs.</summary>
internal sealed record MainJobOptions
{
    public required string RepoRoot { get; init; }
    public bool Small { get; init; }

    /// <summary>Leave the cloud running after the summary (until Ctrl+C).</summary>
    public bool Keep { get; init; }

    /// <summary>State folder; .local/run-local by default.</summary>
    public string? StateDirectory { get; init; }

    /// <summary>Use the topology's batching windows and Firehose buffers as they are (slow: up to 120 s per batch).</summary>
    public bool TopologyWindows { get; init; }

    /// <summary>How long draining may take before the run is declared stuck.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Called once the cloud is up and the producers have started (given their task): fault tests hook in here.</summary>
    public Func<Pipelines.LocalCloud.Host.LocalCloudHost, Task, CancellationToken, Task>? WhileProducing { get; init; }

    /// <summary>Called after the checks, before shutdown, with the live cloud and what each producer returned (tests look deeper here).</summary>
    public Func<Pipelines.LocalCloud.Host.LocalCloudHost, IReadOnlyDictionary<string, object>, CancellationToken, Task>? BeforeShutdown { get; init; }

    public int Reviews => Small ? 200 : 2000;
    public int Events => Small ? 200 : 2000;
    public int Orders => Small ? 40 : 300;
    public int CountyRows => Small ? 60 : 400;
    public double CountyRate => Small ? 30 : 40;
    public int CatalogFiles => Small ? 4 : 12;
    public int CatalogRecordsPerFile => Small ? 40 : 250;
}

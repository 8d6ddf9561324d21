namespace Pipelines.LocalCloud.Emulators;

/// <summary>What <see cref="LocalEmulators.StartAsync"/> starts and where it keeps state.</summary>
public sealed record EmulatorOptions
{
    /// <summary>Services to start; all of them by default.</summary>
    public EmulatorService Services { get; init; } = EmulatorService.All;

    /// <summary>Folder for on-disk state (one sub-folder per service). Null: a fresh temp folder deleted on dispose.</summary>
    public string? StateDirectory { get; init; }

    /// <summary>Repository root (the folder holding Functions.sln); null: PIPELINE_REPO_ROOT, then found by walking up.</summary>
    public string? RepoRoot { get; init; }

    /// <summary>Fixed ports per service (e.g. to restart on the same endpoint); others get a free port.</summary>
    public IReadOnlyDictionary<EmulatorService, int> Ports { get; init; } = new Dictionary<EmulatorService, int>();

    /// <summary>How long one emulator may take to answer before start-up fails.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The node executable; PIPELINE_NODE or "node" on PATH by default.</summary>
    public string? NodeExecutable { get; init; }
}

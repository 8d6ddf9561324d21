namespace Pipelines.LocalCloud.RuntimeApi;

/// <summary>One line a function process wrote (its JSON logs and EMF metrics go to stdout).</summary>
public readonly record struct FunctionOutputLine(string FunctionName, bool IsStandardError, string Text);

public sealed class FunctionProcessOptions
{
    /// <summary>Receives every stdout/stderr line of the function (called on a background thread).</summary>
    public Action<FunctionOutputLine>? OnOutput { get; init; }

    /// <summary>Run exactly this instead of resolving the function's build.</summary>
    public FunctionLaunch? Launch { get; init; }

    public LaunchPreference Preference { get; init; } = LaunchPreference.Auto;

    /// <summary>Repository root; found from PIPELINE_REPO_ROOT or the build location when null.</summary>
    public string? RepoRoot { get; init; }

    /// <summary>Overrides of the topology's memory size and timeout.</summary>
    public int? MemoryMb { get; init; }
    public TimeSpan? Timeout { get; init; }

    /// <summary>Start from this process's environment (PATH, HOME, DOTNET_ROOT, AWS_*); Lambda's own variables are always set.</summary>
    public bool InheritEnvironment { get; init; } = true;

    /// <summary>How many lines of stderr are kept to explain a crash.</summary>
    public int CrashTailLines { get; init; } = 20;
}

namespace Pipelines.LocalCloud.RuntimeApi;

/// <summary>How a function process is started: a published <c>bootstrap</c>, or <c>dotnet &lt;dll&gt;</c>.</summary>
public sealed record FunctionLaunch(string FileName, IReadOnlyList<string> Arguments, FunctionLaunchKind Kind)
{
    /// <summary>The folder the process runs in (LAMBDA_TASK_ROOT).</summary>
    public string TaskRoot { get; init; } = "";

    public static FunctionLaunch Bootstrap(string bootstrapPath) =>
        new(bootstrapPath, [], FunctionLaunchKind.Bootstrap) { TaskRoot = Path.GetDirectoryName(bootstrapPath) ?? "" };

    public static FunctionLaunch Dll(string dllPath) =>
        new(DotnetHost(), [dllPath], FunctionLaunchKind.Dll) { TaskRoot = Path.GetDirectoryName(dllPath) ?? "" };

    public override string ToString() => Arguments.Count == 0 ? FileName : $"{FileName} {string.Join(' ', Arguments)}";

    /// <summary>The dotnet host running this process when it is one (so the same runtime runs the function), else "dotnet".</summary>
    private static string DotnetHost()
    {
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase)) return self;
        var root = Environment.GetEnvironmentVariable("DOTNET_ROOT");
        if (!string.IsNullOrEmpty(root) && File.Exists(Path.Combine(root, "dotnet"))) return Path.Combine(root, "dotnet");
        return "dotnet";
    }
}

public enum FunctionLaunchKind
{
    /// <summary>The self-contained executable scripts/package.sh publishes (what Lambda runs).</summary>
    Bootstrap,
    /// <summary>The framework-dependent build output, run with <c>dotnet &lt;dll&gt;</c>.</summary>
    Dll,
}

/// <summary>Which build of a function to run.</summary>
public enum LaunchPreference
{
    /// <summary>A published bootstrap when it exists and is newer than the sources, else the built dll.</summary>
    Auto,
    /// <summary>The published bootstrap only (fails when it is not there: run scripts/package.sh).</summary>
    Bootstrap,
    /// <summary>The built dll only.</summary>
    Dll,
}

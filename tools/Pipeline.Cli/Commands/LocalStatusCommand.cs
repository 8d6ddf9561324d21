using System.Diagnostics;
using System.Text.Json;
using Pipelines.Cli.LocalRun;
using Pipelines.LocalCloud.Emulators;

namespace Pipelines.Cli.Commands;

/// <summary><c>local status</c>: whether the background local cloud runs, its endpoints and its event sources' counters.</summary>
public sealed class LocalStatusCommand : ICommand
{
    public string Name => "local status";

    public string Summary => ": show whether the local cloud runs, its endpoints and what each event source has done";

    public async Task<int> RunAsync(CliArgs args, CancellationToken cancellationToken)
    {
        var paths = new LocalPaths(RepoLocator.FindRepoRoot());
        var info = RunningCloud(paths);
        if (info is null)
        {
            Console.WriteLine("the local cloud is not running (start it with ./scripts/pipeline local up)");
            return 3;
        }
        Console.WriteLine($"local cloud {info.Status} (pid {info.Pid}, since {info.StartedAt}), state in {info.StateDirectory}");
        foreach (var (k, v) in info.Environment.Where(kv => kv.Key.StartsWith("AWS_ENDPOINT_URL_", StringComparison.Ordinal)))
            Console.WriteLine($"  {k}={v}");
        Console.WriteLine($"  source {paths.EnvFile} to use it");
        var stats = LocalServeCommand.StatsPath(paths);
        if (File.Exists(stats))
        {
            using var doc = JsonDocument.Parse(await File.ReadAllTextAsync(stats, cancellationToken));
            Console.WriteLine();
            Console.WriteLine($"{"event source",-62} {"invokes",8} {"read",8} {"done",8} {"failed",7}");
            foreach (var row in doc.RootElement.EnumerateArray())
            {
                Console.WriteLine($"{row.GetProperty("name").GetString(),-62} {row.GetProperty("invocations").GetInt64(),8} " +
                    $"{row.GetProperty("records_read").GetInt64(),8} {row.GetProperty("records_completed").GetInt64(),8} " +
                    $"{row.GetProperty("records_to_on_failure").GetInt64(),7}{(row.GetProperty("busy").GetBoolean() ? "  busy" : "")}");
            }
        }
        return 0;
    }

    /// <summary>The cloud recorded in .local/cloud.json when its process is still alive, else null.</summary>
    internal static CloudInfoFile? RunningCloud(LocalPaths paths)
    {
        var info = paths.ReadCloudInfo();
        if (info is null) return null;
        try
        {
            using var p = Process.GetProcessById(info.Pid);
            return p.HasExited ? null : info;
        }
        catch (ArgumentException)
        {
            return null; // no such process: a stale file from a crashed cloud
        }
    }
}

using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using Pipelines.Cli.LocalRun;
using Pipelines.LocalCloud.Emulators;
using Pipelines.LocalCloud.Host;

namespace Pipelines.Cli.Commands;

/// <summary>
/// <c>local serve</c>: runs the local cloud in the foreground until Ctrl+C or SIGTERM (what <c>local up</c> starts in the
/// background). Writes .local/cloud.json (pid, endpoints, status), .local/env.sh and, every few seconds, the event
/// sources' counters to .local/cloud-stats.json for <c>local status</c>.
/// </summary>
public sealed class LocalServeCommand : ICommand
{
    public string Name => "local serve";

    public string Summary => "[--keep-state]: run the local cloud in the foreground (local up runs this in the background)";

    public async Task<int> RunAsync(CliArgs args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = RepoLocator.FindRepoRoot();
        var paths = new LocalPaths(root);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
        {
            ctx.Cancel = true;
            stop.Cancel();
        });
        var started = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        paths.WriteCloudInfo(new CloudInfoFile(Environment.ProcessId, started, paths.CloudState, [], "starting"));
        try
        {
            await using var host = await LocalCloudHost.StartAsync(new LocalCloudOptions
            {
                RepoRoot = root,
                StateDirectory = paths.CloudState,
                KeepState = args.Has("keep-state"),
                Log = line => Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {line}"),
            }, stop.Token);
            var env = new Dictionary<string, string>(host.ClientEnvironment());
            paths.WriteEnvFile(env);
            paths.WriteCloudInfo(new CloudInfoFile(Environment.ProcessId, started, host.StateDirectory, env, "running"));
            Console.WriteLine($"local cloud running (pid {Environment.ProcessId}); source {paths.EnvFile} to use it");
            while (!stop.IsCancellationRequested)
            {
                await WriteStatsAsync(paths, host);
                try { await Task.Delay(TimeSpan.FromSeconds(2), stop.Token); }
                catch (OperationCanceledException) { break; }
            }
            Console.WriteLine("stopping the local cloud");
            return 0;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return 0;
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync($"local serve: {e.Message}");
            paths.WriteCloudInfo(new CloudInfoFile(Environment.ProcessId, started, paths.CloudState, [], "failed: " + e.Message));
            return 1;
        }
        finally
        {
            if (paths.ReadCloudInfo() is { } info && info.Pid == Environment.ProcessId && !info.Status.StartsWith("failed", StringComparison.Ordinal))
                paths.ClearCloudInfo();
            File.Delete(StatsPath(paths));
        }
    }

    internal static string StatsPath(LocalPaths paths) => Path.Combine(paths.Root, "cloud-stats.json");

    private static async Task WriteStatsAsync(LocalPaths paths, LocalCloudHost host)
    {
        var rows = host.AllStats().Select(s => new Dictionary<string, object>
        {
            ["name"] = s.Name,
            ["invocations"] = s.Invocations,
            ["records_read"] = s.RecordsRead,
            ["records_completed"] = s.RecordsCompleted,
            ["records_to_on_failure"] = s.RecordsToOnFailure,
            ["function_errors"] = s.FunctionErrors,
            ["busy"] = s.IsBusy,
        }).ToList();
        var tmp = StatsPath(paths) + ".tmp";
        await File.WriteAllTextAsync(tmp, JsonSerializer.Serialize(rows, CloudInfoJson.Options));
        File.Move(tmp, StatsPath(paths), overwrite: true);
    }
}

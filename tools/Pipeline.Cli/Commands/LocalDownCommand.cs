using System.Diagnostics;
using Pipelines.Cli.LocalRun;
using Pipelines.LocalCloud.Emulators;

namespace Pipelines.Cli.Commands;

/// <summary><c>local down</c>: asks the background local cloud to stop (SIGTERM), waits, and kills it if it does not.</summary>
public sealed class LocalDownCommand : ICommand
{
    public string Name => "local down";

    public string Summary => ": stop the local cloud started by local up (state in .local/cloud stays for --keep-state)";

    public async Task<int> RunAsync(CliArgs args, CancellationToken cancellationToken)
    {
        var paths = new LocalPaths(RepoLocator.FindRepoRoot());
        var info = LocalStatusCommand.RunningCloud(paths);
        if (info is null)
        {
            paths.ClearCloudInfo();
            Console.WriteLine("the local cloud is not running");
            return 0;
        }
        using var process = Process.GetProcessById(info.Pid);
        using (var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", info.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture) }, UseShellExecute = false }))
            if (kill is not null) await kill.WaitForExitAsync(cancellationToken);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(TimeSpan.FromSeconds(20));
        try
        {
            await process.WaitForExitAsync(wait.Token);
            Console.WriteLine($"local cloud stopped (pid {info.Pid})");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            Console.WriteLine($"local cloud did not stop within 20 s; killed (pid {info.Pid})");
        }
        paths.ClearCloudInfo();
        return 0;
    }
}

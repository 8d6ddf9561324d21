using System.Diagnostics;
using Pipelines.Cli.LocalRun;
using Pipelines.LocalCloud.Emulators;

namespace Pipelines.Cli.Commands;

/// <summary>
/// <c>local up</c>: starts <c>local serve</c> as a background process (its output in .local/cloud.log), waits until it
/// is running and prints how to use it. <c>local down</c> stops it; <c>local status</c> shows it.
/// </summary>
public sealed class LocalUpCommand : ICommand
{
    public string Name => "local up";

    public string Summary => "[--keep-state]: start the local cloud in the background and write .local/env.sh (source it to use the cloud)";

    public async Task<int> RunAsync(CliArgs args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = RepoLocator.FindRepoRoot();
        var paths = new LocalPaths(root);
        if (LocalStatusCommand.RunningCloud(paths) is { } running)
        {
            Console.WriteLine($"the local cloud is already running (pid {running.Pid}); source {paths.EnvFile}");
            return 0;
        }
        paths.ClearCloudInfo();
        Directory.CreateDirectory(paths.Root);

        // setsid detaches the server from this terminal; its output goes to .local/cloud.log.
        var self = Environment.ProcessPath ?? "dotnet";
        var entry = typeof(LocalUpCommand).Assembly.Location;
        var serve = new List<string> { self };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet") serve.Add(entry);
        serve.AddRange(["local", "serve"]);
        if (args.Has("keep-state")) serve.Add("--keep-state");
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, WorkingDirectory = root };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("setsid \"$@\" >>\"$LOG\" 2>&1 </dev/null &");
        psi.ArgumentList.Add("sh");
        foreach (var a in serve) psi.ArgumentList.Add(a);
        psi.Environment["LOG"] = paths.ServeLog;
        psi.Environment[RepoLocator.RepoRootVariable] = root;
        using (var launcher = Process.Start(psi) ?? throw new InvalidOperationException("could not start the local cloud"))
            await launcher.WaitForExitAsync(cancellationToken);

        Console.Write("starting the local cloud");
        var deadline = DateTime.UtcNow.AddMinutes(3);
        while (DateTime.UtcNow < deadline)
        {
            await Task.Delay(500, cancellationToken);
            Console.Write('.');
            var info = paths.ReadCloudInfo();
            if (info?.Status == "running")
            {
                Console.WriteLine();
                Console.WriteLine($"local cloud running (pid {info.Pid}), state in {info.StateDirectory}, log in {paths.ServeLog}");
                foreach (var (k, v) in info.Environment.Where(kv => kv.Key.StartsWith("AWS_ENDPOINT_URL_", StringComparison.Ordinal)))
                    Console.WriteLine($"  {k}={v}");
                Console.WriteLine($"use it from a shell:  source {paths.EnvFile}   (then e.g. ./scripts/pipeline produce reviews --count 100)");
                Console.WriteLine("stop it:             ./scripts/pipeline local down");
                return 0;
            }
            if (info?.Status.StartsWith("failed", StringComparison.Ordinal) == true)
            {
                Console.WriteLine();
                await Console.Error.WriteLineAsync($"local up: {info.Status} (see {paths.ServeLog})");
                return 1;
            }
        }
        Console.WriteLine();
        await Console.Error.WriteLineAsync($"local up: the cloud did not report running within 3 minutes; see {paths.ServeLog}");
        return 1;
    }
}

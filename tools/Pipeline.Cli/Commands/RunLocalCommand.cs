using Pipelines.Cli.LocalRun;
using Pipelines.LocalCloud.Emulators;

namespace Pipelines.Cli.Commands;

/// <summary><c>run-local</c>: the main job. Every pipeline end to end against the local cloud, then a checked summary.</summary>
public sealed class RunLocalCommand : ICommand
{
    public string Name => "run-local";

    public string Summary =>
        "[--small] [--keep] [--topology-windows] [--drain-timeout S]: start the local cloud, run all five producers, wait until " +
        "every pipeline drained, check each end state, print a summary (exit 0 only if all are right)";

    public async Task<int> RunAsync(CliArgs args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var drain = args.GetInt("drain-timeout", 300);
        if (drain < 10) throw new CliUsageException("--drain-timeout must be at least 10 seconds");
        var options = new MainJobOptions
        {
            RepoRoot = RepoLocator.FindRepoRoot(),
            Small = args.Has("small"),
            Keep = args.Has("keep"),
            TopologyWindows = args.Has("topology-windows"),
            DrainTimeout = TimeSpan.FromSeconds(drain),
        };
        // `local down` stops a `run-local --keep` with SIGTERM: shut down as cleanly as on Ctrl+C.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var term = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, ctx =>
        {
            ctx.Cancel = true;
            stop.Cancel();
        });
        try
        {
            return await new MainJob(options, Console.Out).RunAsync(stop.Token);
        }
        catch (InvalidOperationException e) when (e.Message.Contains("npm ci", StringComparison.Ordinal) || e.Message.Contains("Node.js", StringComparison.Ordinal))
        {
            await Console.Error.WriteLineAsync($"run-local: {e.Message}");
            return 1;
        }
    }
}

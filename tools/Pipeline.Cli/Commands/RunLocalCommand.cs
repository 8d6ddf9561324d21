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
        try
        {
            return await new MainJob(options, Console.Out).RunAsync(cancellationToken);
        }
        catch (InvalidOperationException e) when (e.Message.Contains("npm ci", StringComparison.Ordinal) || e.Message.Contains("Node.js", StringComparison.Ordinal))
        {
            await Console.Error.WriteLineAsync($"run-local: {e.Message}");
            return 1;
        }
    }
}

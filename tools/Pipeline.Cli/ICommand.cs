namespace Pipelines.Cli;

/// <summary>One <c>./scripts/pipeline</c> command. Returns the process exit code.</summary>
public interface ICommand
{
    /// <summary>The words that select it, e.g. "produce reviews".</summary>
    string Name { get; }

    /// <summary>One line for <c>--help</c>: the arguments and what it does.</summary>
    string Summary { get; }

    Task<int> RunAsync(CliArgs args, CancellationToken cancellationToken);
}

namespace Pipelines.Cli;

/// <summary>Picks the command whose words prefix the arguments, runs it, and turns usage errors into exit code 2.</summary>
public static class CommandRunner
{
    public static async Task<int> RunAsync(IReadOnlyList<ICommand> commands, string[] args)
    {
        var match = commands
            .Select(c => (Command: c, Words: c.Name.Split(' ')))
            .Where(c => c.Words.Length <= args.Length && c.Words.SequenceEqual(args.Take(c.Words.Length), StringComparer.Ordinal))
            .OrderByDescending(c => c.Words.Length)
            .FirstOrDefault();

        if (match.Command is null)
        {
            PrintHelp(commands, args);
            return args.Length == 0 || args[0] is "--help" or "-h" or "help" ? 0 : 2;
        }

        using var cts = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) => { e.Cancel = true; cts.Cancel(); };
        try
        {
            return await match.Command.RunAsync(CliArgs.Parse(args[match.Words.Length..]), cts.Token);
        }
        catch (CliUsageException e)
        {
            await Console.Error.WriteLineAsync($"pipeline {match.Command.Name}: {e.Message}");
            await Console.Error.WriteLineAsync($"usage: pipeline {match.Command.Name} {match.Command.Summary}");
            return 2;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("cancelled");
            return 130;
        }
    }

    private static void PrintHelp(IReadOnlyList<ICommand> commands, string[] args)
    {
        if (args.Length > 0 && args[0] is not ("--help" or "-h" or "help"))
            Console.Error.WriteLine($"unknown command: {string.Join(' ', args)}");
        Console.WriteLine("usage: ./scripts/pipeline <command> [options]");
        Console.WriteLine();
        foreach (var c in commands.OrderBy(c => c.Name, StringComparer.Ordinal))
            Console.WriteLine($"  {c.Name,-20} {c.Summary}");
    }
}

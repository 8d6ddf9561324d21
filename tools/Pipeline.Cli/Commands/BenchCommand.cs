using Pipelines.Cli.Bench;
using Pipelines.LocalCloud.Emulators;

namespace Pipelines.Cli.Commands;

/// <summary>
/// <c>bench [--quick]</c>: throughput, allocation, catalog streaming and memory, cold start and cost per function, in one
/// process, printed as Markdown; <c>--e2e</c> adds the main job's end-to-end rates on the local cloud. A full run of
/// every function also writes bench/RESULTS.md (unless --no-save).
/// </summary>
public sealed class BenchCommand : ICommand
{
    public string Name => "bench";

    public string Summary =>
        "[--quick] [--only fn,fn] [--runs N] [--catalog-mb N] [--catalog-runs N] [--profile] [--e2e] [--no-coldstart] [--out file] [--no-save]: benchmark every function (throughput, allocation, catalog memory, cold start, cost)";

    public async Task<int> RunAsync(CliArgs args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Positional.Count > 0) throw new CliUsageException($"unexpected argument '{args.Positional[0]}'");
        var options = args.Has("quick") ? BenchOptions.Quick : BenchOptions.Full;
        if (args.Get("only") is { } only)
        {
            var known = BenchRunner.StreamFunctions.Append("catalog-consolidator").ToHashSet(StringComparer.Ordinal);
            var chosen = only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet(StringComparer.Ordinal);
            if (chosen.FirstOrDefault(f => !known.Contains(f)) is { } unknown)
                throw new CliUsageException($"unknown function '{unknown}' (functions: {string.Join(", ", known.Order(StringComparer.Ordinal))})");
            options = options with { Only = chosen };
        }
        if (args.Has("runs"))
        {
            var runs = args.GetInt("runs", options.Runs);
            if (runs < 1) throw new CliUsageException("--runs must be at least 1");
            options = options with { Runs = runs };
        }
        if (args.Has("catalog-mb"))
        {
            var mb = args.GetDouble("catalog-mb", 0);
            if (mb < 0.1) throw new CliUsageException("--catalog-mb must be at least 0.1");
            options = options with { CatalogBytes = (long)(mb * 1_000_000) };
        }
        if (args.Has("catalog-runs"))
        {
            var runs = args.GetInt("catalog-runs", options.CatalogRuns);
            if (runs < 1) throw new CliUsageException("--catalog-runs must be at least 1");
            options = options with { CatalogRuns = runs };
        }
        if (args.Has("no-coldstart")) options = options with { ColdStartRuns = 0 };
        if (args.Has("profile")) options = options with { Profile = true };
        if (args.Has("e2e")) options = options with { EndToEnd = true };

        var report = await BenchRunner.RunAsync(options, line => Console.Error.WriteLine(line), cancellationToken);
        var markdown = report.ToMarkdown();
        Console.WriteLine(markdown);

        var target = args.Get("out") ?? (options.Mode == "full" && !args.Has("no-save") && options.Only is null
            ? Path.Combine(RepoLocator.FindRepoRoot(), "bench", "RESULTS.md")
            : null);
        if (target is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(target))!);
            await File.WriteAllTextAsync(target, markdown, cancellationToken);
            await Console.Error.WriteLineAsync($"wrote {target}");
        }
        var failed = report.Functions.Any(f => f.Problem is not null) || report.Catalog?.Problem is not null;
        return failed ? 1 : 0;
    }
}

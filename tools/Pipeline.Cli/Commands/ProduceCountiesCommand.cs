using System.Globalization;
using Pipelines.Cli.Producers;
using Pipelines.LocalCloud.Emulators;
using Pipelines.LocalCloud.Topology;
using Pipelines.Shared.Aws;

namespace Pipelines.Cli.Commands;

/// <summary><c>produce counties</c>: stream a fishing-waters CSV to the county-aggregator's stream at a steady rate.</summary>
public sealed class ProduceCountiesCommand : ICommand
{
    public string Name => "produce counties";

    public string Summary =>
        "--csv <file> [--rate 10 rows/s] [--stream county-ingestion-stream] [--limit N]: send each CSV row as JSON " +
        "(plus a UTC timestamp, county as partition key) at a steady rate";

    public async Task<int> RunAsync(CliArgs args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var csv = args.Require("csv");
        if (!File.Exists(csv)) throw new CliUsageException($"--csv: no such file '{csv}'");
        var rate = args.GetDouble("rate", 10);
        if (rate is <= 0 or > 100_000) throw new CliUsageException("--rate must be a positive number of rows per second (at most 100000)");
        int? limit = args.Has("limit") ? args.GetInt("limit", 0) : null;
        if (limit is < 1) throw new CliUsageException("--limit must be a whole number >= 1");
        var options = new CountiesProduceOptions
        {
            CsvPath = csv,
            Rate = rate,
            StreamName = args.Get("stream") ?? DefaultStream(),
            Limit = limit,
        };

        CountiesProduced produced;
        try
        {
            produced = await new CountiesProducer(KinesisClient.FromEnvironment()).RunAsync(options, new Progress(), cancellationToken);
        }
        catch (AwsServiceException e) when (e.ErrorCode == "ResourceNotFoundException")
        {
            await Console.Error.WriteLineAsync($"\nstream '{options.StreamName}' not found ({e.Message}). Start the local cloud or pass --stream.");
            return 1;
        }
        catch (InvalidDataException e)
        {
            throw new CliUsageException(e.Message);
        }
        Console.Error.WriteLine();
        Console.WriteLine(CountiesProducer.Describe(produced));
        return produced.Failed == 0 ? 0 : 1;
    }

    /// <summary>The stream named in topology/topology.json, so the command follows the one description.</summary>
    private static string DefaultStream()
    {
        try
        {
            return TopologyReader.LoadFromRepo(RepoLocator.FindRepoRoot()).Pipeline("counties").Streams["counties"].Name;
        }
        catch (Exception e) when (e is IOException or KeyNotFoundException or InvalidOperationException or System.Text.Json.JsonException)
        {
            return new CountiesProduceOptions { CsvPath = "" }.StreamName;
        }
    }

    /// <summary>One progress line on stderr, redrawn in place (a line per 10 s when redirected): sent, rate, failures.</summary>
    private sealed class Progress : IProgress<CountiesProgress>
    {
        private long _lastTicks;
        private long _lastLogged = -1;

        public void Report(CountiesProgress value)
        {
            var text = string.Create(CultureInfo.InvariantCulture,
                $"sent {value.Sent,6}/{value.Total}  {value.RowsPerSecond,7:0.00} rows/s  {value.Elapsed.TotalSeconds,6:0}s  re-sent {value.Resent}  failed {value.Failed}");
            var done = value.Sent + value.Failed >= value.Total;
            if (Console.IsErrorRedirected)
            {
                var bucket = (long)value.Elapsed.TotalSeconds / 10;
                if (!done && bucket == _lastLogged) return;
                _lastLogged = bucket;
                Console.Error.WriteLine(text);
                return;
            }
            var now = Environment.TickCount64;
            if (!done && now - _lastTicks < 250) return;
            _lastTicks = now;
            Console.Error.Write("\r" + text.PadRight(80));
        }
    }
}

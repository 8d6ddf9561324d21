using System.Diagnostics;
using System.Globalization;
using Pipelines.Cli.Producers;
using Pipelines.Shared.Aws;

namespace Pipelines.Cli.Commands;

/// <summary><c>produce events</c>: app events with a chosen share of duplicates onto the event-archiver's stream.</summary>
public sealed class ProduceEventsCommand : ICommand
{
    public string Name => "produce events";

    public string Summary =>
        "[--count N=1000] [--duplicate-rate 0.1] [--rate R records/s] [--stream event-ingestion-stream] [--days 3] [--seed S]: " +
        "put realistic events (some re-sending an earlier uuid) on the Kinesis stream";

    public async Task<int> RunAsync(CliArgs args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var count = args.GetInt("count", 1000);
        if (count < 1) throw new CliUsageException("--count must be a whole number >= 1");
        var duplicateRate = args.GetDouble("duplicate-rate", 0.1);
        if (duplicateRate is < 0 or >= 1) throw new CliUsageException("--duplicate-rate must be at least 0 and below 1");
        double? rate = args.Has("rate") ? args.GetDouble("rate", 0) : null;
        if (rate is <= 0) throw new CliUsageException("--rate must be a positive number of records per second");
        var days = args.GetInt("days", 3);
        if (days < 1) throw new CliUsageException("--days must be a whole number >= 1");
        var options = new EventsProduceOptions
        {
            Count = count,
            DuplicateRate = duplicateRate,
            Rate = rate,
            StreamName = args.Get("stream") ?? "event-ingestion-stream",
            Days = days,
            Seed = args.Has("seed") ? args.GetInt("seed", 0) : null,
        };

        var progress = new ProgressLine();
        EventsProduced produced;
        try
        {
            produced = await new EventsProducer(KinesisClient.FromEnvironment()).RunAsync(options, progress, cancellationToken);
        }
        catch (AwsServiceException e) when (e.ErrorCode == "ResourceNotFoundException")
        {
            progress.Finish();
            await Console.Error.WriteLineAsync($"stream '{options.StreamName}' not found ({e.Message}). Start the local cloud or pass --stream.");
            return 1;
        }
        progress.Finish();
        Console.WriteLine(EventsProducer.Describe(produced));
        Console.WriteLine("expected archive (records per partition):");
        Console.Write(EventsProducer.PartitionTable(produced));
        return 0;
    }

    /// <summary>One progress line on stderr (sent, rate, re-sent), redrawn in place on a terminal.</summary>
    private sealed class ProgressLine : IProgress<EventsProgress>
    {
        private readonly Lock _gate = new();
        private readonly Stopwatch _sinceLast = Stopwatch.StartNew();
        private readonly bool _inPlace = !Console.IsErrorRedirected;
        private bool _pending;

        public void Report(EventsProgress value)
        {
            lock (_gate)
            {
                var last = value.Sent == value.Total;
                if (!last && value.Sent > 0 && _sinceLast.ElapsedMilliseconds < 250) return;
                _sinceLast.Restart();
                var text = string.Create(CultureInfo.InvariantCulture,
                    $"sent {value.Sent,7}/{value.Total} ({100.0 * value.Sent / Math.Max(1, value.Total):0}%)  {value.RecordsPerSecond,7:0.0} rec/s  re-sent {value.Resent}");
                if (_inPlace)
                {
                    Console.Error.Write("\r" + text.PadRight(60));
                    _pending = !last;
                    if (last) Console.Error.WriteLine();
                }
                else if (last || value.Sent == 0) Console.Error.WriteLine(text);
            }
        }

        public void Finish()
        {
            lock (_gate)
            {
                if (_pending) Console.Error.WriteLine();
                _pending = false;
            }
        }
    }
}

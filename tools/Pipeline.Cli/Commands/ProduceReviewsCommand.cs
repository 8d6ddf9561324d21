using System.Globalization;
using Pipelines.Cli.Producers;
using Pipelines.LocalCloud.Emulators;
using Pipelines.LocalCloud.Topology;
using Pipelines.Shared.Aws;

namespace Pipelines.Cli.Commands;

/// <summary><c>produce reviews</c>: realistic product reviews, a chosen share invalid, onto the review-ingestion stream.</summary>
public sealed class ProduceReviewsCommand : ICommand
{
    public string Name => "produce reviews";

    public string Summary =>
        "[--count N=1000] [--invalid-ratio 0.1] [--rate R records/s] [--stream amazon-review-ingestion-stream] [--seed S]: " +
        "put realistic reviews (a share of them invalid, of varied kinds) on the Kinesis stream";

    public async Task<int> RunAsync(CliArgs args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var count = args.GetInt("count", 1000);
        if (count < 1) throw new CliUsageException("--count must be a whole number >= 1");
        var invalidRatio = args.GetDouble("invalid-ratio", 0.1);
        if (invalidRatio is < 0 or > 1) throw new CliUsageException("--invalid-ratio must be between 0 and 1");
        double? rate = args.Has("rate") ? args.GetDouble("rate", 0) : null;
        if (rate is <= 0) throw new CliUsageException("--rate must be a positive number of records per second");
        var options = new ReviewsProduceOptions
        {
            Count = count,
            InvalidRatio = invalidRatio,
            Rate = rate,
            StreamName = args.Get("stream") ?? DefaultStream(),
            Seed = args.Has("seed") ? args.GetInt("seed", 0) : null,
        };

        ReviewsProduced produced;
        try
        {
            produced = await new ReviewsProducer(KinesisClient.FromEnvironment()).RunAsync(options, new Progress(), cancellationToken);
        }
        catch (AwsServiceException e) when (e.ErrorCode == "ResourceNotFoundException")
        {
            await Console.Error.WriteLineAsync($"\nstream '{options.StreamName}' not found ({e.Message}). Start the local cloud or pass --stream.");
            return 1;
        }
        Console.Error.WriteLine();
        Console.WriteLine(ReviewsProducer.Describe(produced));
        return produced.Failed == 0 ? 0 : 1;
    }

    /// <summary>The stream named in topology/topology.json, so the command follows the one description.</summary>
    private static string DefaultStream()
    {
        try
        {
            return TopologyReader.LoadFromRepo(RepoLocator.FindRepoRoot()).Pipeline("reviews").Streams["reviews"].Name;
        }
        catch (Exception e) when (e is IOException or KeyNotFoundException or InvalidOperationException or System.Text.Json.JsonException)
        {
            return new ReviewsProduceOptions().StreamName;
        }
    }

    /// <summary>One progress line on stderr, redrawn in place: sent, rate, re-sent, failed.</summary>
    private sealed class Progress : IProgress<ReviewsProgress>
    {
        private long _lastTicks;

        public void Report(ReviewsProgress value)
        {
            var now = Environment.TickCount64;
            if (value.Sent + value.Failed < value.Total && now - _lastTicks < 250) return;
            _lastTicks = now;
            var text = string.Create(CultureInfo.InvariantCulture,
                $"sent {value.Sent,7}/{value.Total}  {value.RecordsPerSecond,8:0.0} rec/s  re-sent {value.Resent}  failed {value.Failed}");
            Console.Error.Write(Console.IsErrorRedirected ? text + "\n" : "\r" + text.PadRight(70));
        }
    }
}

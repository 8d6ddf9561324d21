using System.Diagnostics;
using System.Globalization;
using Amazon.DynamoDBv2.Model;
using Pipelines.Cli.Producers;
using Pipelines.Shared.Aws;

namespace Pipelines.Cli.Commands;

/// <summary><c>produce orders</c>: inserts, updates and deletes orders in OrdersRawTable so its stream carries CDC records.</summary>
public sealed class ProduceOrdersCommand : ICommand
{
    public string Name => "produce orders";

    public string Summary =>
        "--count N [--update-ratio 0.2] [--delete-ratio 0.05] [--rate R writes/s] [--table OrdersRawTable] [--seed S]: " +
        "insert realistic orders into the DynamoDB table, then update and delete some";

    public async Task<int> RunAsync(CliArgs args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var options = new OrdersProduceOptions
        {
            Count = Positive(args.GetInt("count", -1), "count"),
            UpdateRatio = Ratio(args.GetDouble("update-ratio", 0.2), "update-ratio"),
            DeleteRatio = Ratio(args.GetDouble("delete-ratio", 0.05), "delete-ratio"),
            Rate = args.Has("rate") ? PositiveRate(args.GetDouble("rate", 0)) : null,
            TableName = args.Get("table") ?? "OrdersRawTable",
            Seed = args.Has("seed") ? args.GetInt("seed", 0) : null,
        };

        using var dynamoDb = AwsSdkClients.CreateDynamoDb();
        var progress = new ProgressLine();
        OrdersProduced produced;
        try
        {
            produced = await new OrdersProducer(dynamoDb).RunAsync(options, progress, cancellationToken);
        }
        catch (ResourceNotFoundException e)
        {
            progress.Finish();
            await Console.Error.WriteLineAsync($"table '{options.TableName}' not found ({e.Message}). Start the local cloud or pass --table.");
            return 1;
        }
        progress.Finish();

        var rate = produced.Elapsed.TotalSeconds > 0 ? produced.Writes / produced.Elapsed.TotalSeconds : 0;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"orders: inserted {produced.Inserted.Count}, updated {produced.Updated.Count}, deleted {produced.Deleted.Count} in {produced.TableName}; " +
            $"{produced.FinalState.Count} orders remain; {produced.Writes} writes in {produced.Elapsed.TotalSeconds:0.0} s ({rate:0} writes/s)"));
        return 0;
    }

    private static int Positive(int value, string name) =>
        value >= 1 ? value : throw new CliUsageException($"--{name} must be a whole number >= 1");

    private static double Ratio(double value, string name) =>
        value is >= 0 and <= 1 ? value : throw new CliUsageException($"--{name} must be between 0 and 1");

    private static double PositiveRate(double value) =>
        value > 0 ? value : throw new CliUsageException("--rate must be a positive number of writes per second");

    /// <summary>One progress line on stderr, redrawn in place on a terminal, at most a few times a second.</summary>
    private sealed class ProgressLine : IProgress<OrdersProgress>
    {
        private readonly Lock _gate = new();
        private readonly Stopwatch _sinceLast = Stopwatch.StartNew();
        private readonly bool _inPlace = !Console.IsErrorRedirected;
        private bool _pending;

        public void Report(OrdersProgress value)
        {
            lock (_gate)
            {
                var last = value.Done == value.Total;
                if (!last && _sinceLast.ElapsedMilliseconds < 250) return;
                _sinceLast.Restart();
                var text = string.Create(CultureInfo.InvariantCulture, $"{value.Phase,-6} {value.Done,7}/{value.Total} ({100.0 * value.Done / Math.Max(1, value.Total):0}%)");
                if (_inPlace)
                {
                    Console.Error.Write("\r" + text.PadRight(40));
                    _pending = true;
                    if (last)
                    {
                        Console.Error.WriteLine();
                        _pending = false;
                    }
                }
                else if (last || value.Done == 0) Console.Error.WriteLine(text);
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

using Amazon.DynamoDBv2.Model;
using Pipelines.Cli.Producers;
using Pipelines.LocalCloud.Emulators;
using Pipelines.LocalCloud.Topology;
using Pipelines.Shared.Aws;

namespace Pipelines.Cli.Commands;

/// <summary><c>report counties</c>: total rows per county, summed over the aggregator's per-batch items.</summary>
public sealed class ReportCountiesCommand : ICommand
{
    public string Name => "report counties";

    public string Summary => "[--table county-counts]: print the total row count per county (sum of the batch items) as a table";

    public async Task<int> RunAsync(CliArgs args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var table = args.Get("table") ?? DefaultTable();
        IReadOnlyList<CountyTotal> totals;
        try
        {
            using var dynamoDb = AwsSdkClients.CreateDynamoDb();
            totals = await CountiesReport.LoadAsync(dynamoDb, table, cancellationToken);
        }
        catch (ResourceNotFoundException e)
        {
            await Console.Error.WriteLineAsync($"table '{table}' not found ({e.Message}). Start the local cloud or pass --table.");
            return 1;
        }
        Console.Write(CountiesReport.Format(totals));
        return 0;
    }

    private static string DefaultTable()
    {
        try
        {
            return TopologyReader.LoadFromRepo(RepoLocator.FindRepoRoot()).Pipeline("counties").Tables["counts"].Name;
        }
        catch (Exception e) when (e is IOException or KeyNotFoundException or InvalidOperationException or System.Text.Json.JsonException)
        {
            return "county-counts";
        }
    }
}

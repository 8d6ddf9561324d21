using Amazon.DynamoDBv2.Model;
using Pipelines.Catalog.Priority;
using Pipelines.LocalCloud.Emulators;
using Pipelines.LocalCloud.Topology;
using Pipelines.Shared.Aws;

namespace Pipelines.Cli.Commands;

/// <summary><c>partners show</c>: prints the partner priority of every content type (or one).</summary>
public sealed class PartnersShowCommand : ICommand
{
    public string Name => "partners show";

    public string Summary => "[--content-type hotel] [--table name]: show partner priority and blacklists";

    public async Task<int> RunAsync(CliArgs args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var only = args.Get("content-type");
        var table = args.Get("table") ?? PartnersTable.DefaultTable();
        using var dynamo = AwsSdkClients.CreateDynamoDb();
        try
        {
            var book = await new DynamoDbPartnerPrioritySource(dynamo, table).LoadAsync(cancellationToken);
            var rows = book.ContentTypes
                .Where(kv => only is null || kv.Key == only)
                .OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .ToList();
            if (rows.Count == 0)
            {
                Console.WriteLine(only is null
                    ? $"{table} is empty: every partner ranks equal for every content type"
                    : $"no row for '{only}': every partner ranks equal for it");
                return 0;
            }
            foreach (var (contentType, ranking) in rows) Console.WriteLine(PartnersTable.Describe(contentType, ranking.Partners, ranking.Blacklisted));
            return 0;
        }
        catch (ResourceNotFoundException)
        {
            await Console.Error.WriteLineAsync($"table '{table}' does not exist here (is the local cloud running, or is AWS_ENDPOINT_URL set?)");
            return 1;
        }
    }
}

/// <summary>Helpers shared by the partners commands.</summary>
internal static class PartnersTable
{
    public static string DefaultTable() =>
        TopologyReader.LoadFromRepo(RepoLocator.FindRepoRoot()).Pipeline("catalog").Tables["priority"].Name;

    public static IReadOnlyList<string> SplitList(string? raw) =>
        raw is null ? [] : raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static string Describe(string contentType, IReadOnlyCollection<string> order, IReadOnlyCollection<string> blacklist) =>
        $"{contentType}: {(order.Count == 0 ? "(all partners equal)" : string.Join(" > ", order))} > (unlisted)" +
        (blacklist.Count == 0 ? "" : $"; blacklisted: {string.Join(", ", blacklist.Order(StringComparer.Ordinal))}");
}

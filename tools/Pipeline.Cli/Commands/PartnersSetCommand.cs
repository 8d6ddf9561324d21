using Amazon.DynamoDBv2.Model;
using Pipelines.Catalog.Priority;
using Pipelines.Shared.Aws;

namespace Pipelines.Cli.Commands;

/// <summary><c>partners set</c>: writes one content type's partner priority (and blacklist) to the partner-priority table.</summary>
public sealed class PartnersSetCommand : ICommand
{
    public string Name => "partners set";

    public string Summary => "--content-type hotel --order a,b,c [--blacklist x,y] [--table name]: set partner priority for a content type";

    public async Task<int> RunAsync(CliArgs args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var contentType = args.Require("content-type").Trim();
        if (contentType.Length == 0) throw new CliUsageException("--content-type must not be empty");
        var order = PartnersTable.SplitList(args.Get("order"));
        var blacklist = PartnersTable.SplitList(args.Get("blacklist"));
        if (order.Count == 0 && blacklist.Count == 0) throw new CliUsageException("give --order and/or --blacklist");
        var duplicates = order.GroupBy(p => p, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0) throw new CliUsageException($"--order lists {string.Join(", ", duplicates)} more than once");
        var table = args.Get("table") ?? PartnersTable.DefaultTable();

        using var dynamo = AwsSdkClients.CreateDynamoDb();
        try
        {
            await dynamo.PutItemAsync(new PutItemRequest
            {
                TableName = table,
                Item = new Dictionary<string, AttributeValue>
                {
                    [DynamoDbPartnerPrioritySource.ContentTypeAttribute] = new() { S = contentType },
                    [DynamoDbPartnerPrioritySource.PartnersAttribute] = new() { L = [.. order.Select(p => new AttributeValue { S = p })] },
                    [DynamoDbPartnerPrioritySource.BlacklistedAttribute] = new() { L = [.. blacklist.Select(p => new AttributeValue { S = p })] },
                },
            }, cancellationToken);
        }
        catch (ResourceNotFoundException)
        {
            await Console.Error.WriteLineAsync($"table '{table}' does not exist here (is the local cloud running, or is AWS_ENDPOINT_URL set?)");
            return 1;
        }

        Console.WriteLine(PartnersTable.Describe(contentType, order, blacklist));
        Console.WriteLine("functions pick this up when their cached copy expires (tunable partner_cache_ttl_seconds).");
        return 0;
    }
}

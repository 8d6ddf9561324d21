using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Pipelines.Catalog.Domain;
using Pipelines.Shared.Observability;

namespace Pipelines.Catalog.Priority;

/// <summary>
/// Scans <c>partner-priority</c>: <c>ContentType</c> (S), <c>partners</c> (L of S, highest priority first) and
/// <c>blacklisted</c> (L of S). A string set is accepted too (order is then meaningless, so use L for <c>partners</c>).
/// </summary>
internal sealed class DynamoDbPartnerPrioritySource(IAmazonDynamoDB dynamo, string tableName) : IPartnerPrioritySource
{
    public const string ContentTypeAttribute = "ContentType";
    public const string PartnersAttribute = "partners";
    public const string BlacklistedAttribute = "blacklisted";

    public async Task<PartnerPriorityBook> LoadAsync(CancellationToken cancellationToken)
    {
        var rankings = new Dictionary<string, PartnerRanking>(StringComparer.Ordinal);
        Dictionary<string, AttributeValue>? startKey = null;
        do
        {
            var response = await dynamo.ScanAsync(new ScanRequest
            {
                TableName = tableName,
                ConsistentRead = true,
                ExclusiveStartKey = startKey,
            }, cancellationToken);
            foreach (var item in response.Items ?? [])
            {
                if (!item.TryGetValue(ContentTypeAttribute, out var ct) || string.IsNullOrEmpty(ct.S))
                {
                    Log.Warn("partner-priority row without a ContentType string is ignored", new LogField("table", tableName));
                    continue;
                }
                rankings[ct.S] = new PartnerRanking(Strings(item, PartnersAttribute), Strings(item, BlacklistedAttribute));
            }
            startKey = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (startKey is not null);
        return new PartnerPriorityBook(rankings);
    }

    public static IEnumerable<string> Strings(Dictionary<string, AttributeValue> item, string attribute)
    {
        if (!item.TryGetValue(attribute, out var value)) return [];
        if (value.L is { Count: > 0 } list) return list.Where(v => !string.IsNullOrEmpty(v.S)).Select(v => v.S);
        if (value.SS is { Count: > 0 } set) return set;
        return [];
    }
}

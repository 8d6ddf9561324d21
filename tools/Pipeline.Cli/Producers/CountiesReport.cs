using System.Globalization;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Pipelines.Cli.Producers;

/// <summary>One county's total over all its batch items.</summary>
public sealed record CountyTotal(string County, long Rows, int Batches);

/// <summary>
/// <c>report counties</c>: the aggregator writes one item per county per batch, so a county's total is the sum of
/// <c>Count</c> over its items. Scans the table (it holds one small item per county per batch).
/// </summary>
public static class CountiesReport
{
    public static async Task<IReadOnlyList<CountyTotal>> LoadAsync(IAmazonDynamoDB dynamoDb, string tableName, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dynamoDb);
        var totals = new Dictionary<string, (long Rows, int Batches)>(StringComparer.Ordinal);
        Dictionary<string, AttributeValue>? startKey = null;
        do
        {
            var page = await dynamoDb.ScanAsync(new ScanRequest
            {
                TableName = tableName,
                // "Count" is a DynamoDB reserved word.
                ProjectionExpression = "County, #count",
                ExpressionAttributeNames = new() { ["#count"] = "Count" },
                ExclusiveStartKey = startKey,
            }, cancellationToken);
            foreach (var item in page.Items ?? [])
            {
                if (!item.TryGetValue("County", out var county) || county.S is null) continue;
                var count = item.TryGetValue("Count", out var n) && long.TryParse(n.N, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : 0;
                var (rows, batches) = totals.GetValueOrDefault(county.S);
                totals[county.S] = (rows + count, batches + 1);
            }
            startKey = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (startKey is not null);
        return totals.Select(t => new CountyTotal(t.Key, t.Value.Rows, t.Value.Batches))
            .OrderBy(t => t.County, StringComparer.Ordinal).ToList();
    }

    /// <summary>A plain-text table: county, total rows, batch items; then a total line.</summary>
    public static string Format(IReadOnlyList<CountyTotal> totals)
    {
        ArgumentNullException.ThrowIfNull(totals);
        var width = Math.Max("County".Length, totals.Count == 0 ? 0 : totals.Max(t => t.County.Length));
        var text = new StringBuilder();
        void Line(string county, string rows, string batches) =>
            text.Append(county.PadRight(width)).Append("  ").Append(rows.PadLeft(8)).Append("  ").Append(batches.PadLeft(7)).Append('\n');
        Line("County", "Rows", "Batches");
        Line(new string('-', width), new string('-', 8), new string('-', 7));
        foreach (var t in totals)
            Line(t.County, t.Rows.ToString(CultureInfo.InvariantCulture), t.Batches.ToString(CultureInfo.InvariantCulture));
        Line(new string('-', width), new string('-', 8), new string('-', 7));
        Line($"{totals.Count} counties", totals.Sum(t => t.Rows).ToString(CultureInfo.InvariantCulture), totals.Sum(t => t.Batches).ToString(CultureInfo.InvariantCulture));
        return text.ToString();
    }
}

using Amazon.DynamoDBv2.Model;

namespace Pipelines.Cli.Bench.Sinks;

/// <summary>
/// The subset of DynamoDB's expression language the functions send: <c>SET a = :x, b = :y</c> updates and conditions
/// made of <c>attribute_not_exists(a)</c> and <c>a = :x</c> joined by <c>OR</c>. Anything else is refused loudly, so a
/// benchmark never silently measures a call whose effect it did not model.
/// </summary>
internal static class UpdateExpressions
{
    public static bool ConditionHolds(string condition, Dictionary<string, AttributeValue>? item, Dictionary<string, AttributeValue> values)
    {
        foreach (var raw in condition.Split(" OR ", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (raw.StartsWith("attribute_not_exists(", StringComparison.Ordinal) && raw.EndsWith(')'))
            {
                var name = raw["attribute_not_exists(".Length..^1].Trim();
                if (item is null || !item.ContainsKey(name)) return true;
                continue;
            }
            var eq = raw.Split('=', 2, StringSplitOptions.TrimEntries);
            if (eq.Length == 2 && eq[1].StartsWith(':'))
            {
                if (item is not null && item.TryGetValue(eq[0], out var current) && values.TryGetValue(eq[1], out var expected) && SameScalar(current, expected))
                    return true;
                continue;
            }
            throw new NotSupportedException($"the bench's in-memory DynamoDB does not evaluate the condition '{raw}'");
        }
        return false;
    }

    public static void ApplySet(string? update, Dictionary<string, AttributeValue> item, Dictionary<string, AttributeValue> values)
    {
        if (string.IsNullOrWhiteSpace(update)) return;
        var text = update.Trim();
        if (!text.StartsWith("SET ", StringComparison.Ordinal))
            throw new NotSupportedException($"the bench's in-memory DynamoDB only applies SET updates, not '{update}'");
        foreach (var assignment in text[4..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = assignment.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !values.TryGetValue(parts[1], out var value))
                throw new NotSupportedException($"the bench's in-memory DynamoDB cannot apply '{assignment}'");
            item[parts[0]] = value;
        }
    }

    private static bool SameScalar(AttributeValue a, AttributeValue b) =>
        string.Equals(a.S, b.S, StringComparison.Ordinal) && string.Equals(a.N, b.N, StringComparison.Ordinal);
}

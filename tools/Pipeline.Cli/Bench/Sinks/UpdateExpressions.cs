using System.Collections.Concurrent;
using Amazon.DynamoDBv2.Model;

namespace Pipelines.Cli.Bench.Sinks;

/// <summary>
/// The subset of DynamoDB's expression language the functions send: <c>SET a = :x, b = :y</c> updates and conditions
/// made of <c>attribute_not_exists(a)</c> and <c>a = :x</c> joined by <c>OR</c>. Anything else is refused loudly, so a
/// benchmark never silently measures a call whose effect it did not model. Each distinct expression is parsed once
/// (functions send the same few texts for every record), so the sink's own cost stays out of the function's figure.
/// </summary>
internal static class UpdateExpressions
{
    private static readonly ConcurrentDictionary<string, ConditionTerm[]> Conditions = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, (string Attribute, string Placeholder)[]> Updates = new(StringComparer.Ordinal);

    public static bool ConditionHolds(string condition, Dictionary<string, AttributeValue>? item, Dictionary<string, AttributeValue> values)
    {
        foreach (var term in Conditions.GetOrAdd(condition, ParseCondition))
        {
            if (term.Placeholder is null)
            {
                if (item is null || !item.ContainsKey(term.Attribute)) return true;
            }
            else if (item is not null && item.TryGetValue(term.Attribute, out var current) && values.TryGetValue(term.Placeholder, out var expected) && SameScalar(current, expected))
            {
                return true;
            }
        }
        return false;
    }

    public static void ApplySet(string? update, Dictionary<string, AttributeValue> item, Dictionary<string, AttributeValue> values)
    {
        if (string.IsNullOrWhiteSpace(update)) return;
        foreach (var (attribute, placeholder) in Updates.GetOrAdd(update, ParseSet))
        {
            if (!values.TryGetValue(placeholder, out var value))
                throw new NotSupportedException($"the bench's in-memory DynamoDB cannot apply '{attribute} = {placeholder}': no such value");
            item[attribute] = value;
        }
    }

    private static ConditionTerm[] ParseCondition(string condition)
    {
        var terms = new List<ConditionTerm>();
        foreach (var raw in condition.Split(" OR ", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (raw.StartsWith("attribute_not_exists(", StringComparison.Ordinal) && raw.EndsWith(')'))
            {
                terms.Add(new ConditionTerm(raw["attribute_not_exists(".Length..^1].Trim(), null));
                continue;
            }
            var eq = raw.Split('=', 2, StringSplitOptions.TrimEntries);
            if (eq.Length == 2 && eq[1].StartsWith(':'))
            {
                terms.Add(new ConditionTerm(eq[0], eq[1]));
                continue;
            }
            throw new NotSupportedException($"the bench's in-memory DynamoDB does not evaluate the condition '{raw}'");
        }
        return [.. terms];
    }

    private static (string, string)[] ParseSet(string update)
    {
        var text = update.Trim();
        if (!text.StartsWith("SET ", StringComparison.Ordinal))
            throw new NotSupportedException($"the bench's in-memory DynamoDB only applies SET updates, not '{update}'");
        var assignments = new List<(string, string)>();
        foreach (var assignment in text[4..].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = assignment.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !parts[1].StartsWith(':'))
                throw new NotSupportedException($"the bench's in-memory DynamoDB cannot apply '{assignment}'");
            assignments.Add((parts[0], parts[1]));
        }
        return [.. assignments];
    }

    private static bool SameScalar(AttributeValue a, AttributeValue b) =>
        string.Equals(a.S, b.S, StringComparison.Ordinal) && string.Equals(a.N, b.N, StringComparison.Ordinal);

    /// <summary><c>attribute_not_exists(Attribute)</c> when <see cref="Placeholder"/> is null, else <c>Attribute = Placeholder</c>.</summary>
    private readonly record struct ConditionTerm(string Attribute, string? Placeholder);
}

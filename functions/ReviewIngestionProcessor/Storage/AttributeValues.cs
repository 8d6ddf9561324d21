using Amazon.DynamoDBv2.Model;
using Pipelines.Reviews.Domain;

namespace Pipelines.Reviews.Storage;

/// <summary>Converts the domain's item values to the SDK's wire types (deterministically: same item, same request).</summary>
internal static class AttributeValues
{
    public static Dictionary<string, AttributeValue> ToItem(ReviewItem item)
    {
        var attributes = item.Attributes;
        var result = new Dictionary<string, AttributeValue>(attributes.Count, StringComparer.Ordinal);
        // Indexing, not foreach: enumerating the IReadOnlyList interface would box an enumerator per item.
        for (var i = 0; i < attributes.Count; i++) result[attributes[i].Key] = Convert(attributes[i].Value);
        return result;
    }

    public static AttributeValue Convert(ItemValue value) => value.Kind switch
    {
        ItemValueKind.String => new AttributeValue { S = value.Text },
        ItemValueKind.Number => new AttributeValue { N = value.Text },
        ItemValueKind.Boolean => new AttributeValue { BOOL = value.Bool },
        ItemValueKind.Null => new AttributeValue { NULL = true },
        // Non-null empty collections are sent as [] and {} (SDK v4 only skips null ones).
        ItemValueKind.List => new AttributeValue { L = value.Items!.Select(Convert).ToList() },
        _ => new AttributeValue { M = value.Entries!.ToDictionary(e => e.Key, e => Convert(e.Value), StringComparer.Ordinal) },
    };
}

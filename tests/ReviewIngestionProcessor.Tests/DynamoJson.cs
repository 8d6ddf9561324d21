using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;

namespace Pipelines.Tests.ReviewIngestionProcessor;

/// <summary>DynamoDB JSON (what BatchWriteItem carries) as the SDK's AttributeValues, to compare with what the SDK reads back.</summary>
internal static class DynamoJson
{
    public static Dictionary<string, AttributeValue> ToItem(ReadOnlyMemory<byte> itemJson) =>
        ToItem(JsonNode.Parse(itemJson.Span)!.AsObject());

    public static Dictionary<string, AttributeValue> ToItem(JsonObject item) =>
        item.ToDictionary(a => a.Key, a => ToValue(a.Value!.AsObject()), StringComparer.Ordinal);

    public static AttributeValue ToValue(JsonObject value)
    {
        var (type, content) = value.Single();
        return type switch
        {
            "S" => new AttributeValue { S = content!.GetValue<string>() },
            "N" => new AttributeValue { N = content!.GetValue<string>() },
            "BOOL" => new AttributeValue { BOOL = content!.GetValue<bool>() },
            "NULL" => new AttributeValue { NULL = content!.GetValue<bool>() },
            "L" => new AttributeValue { L = content!.AsArray().Select(e => ToValue(e!.AsObject())).ToList() },
            "M" => new AttributeValue { M = ToItem(content!.AsObject()) },
            _ => throw new FormatException($"'{type}' is not an attribute type the function writes"),
        };
    }
}

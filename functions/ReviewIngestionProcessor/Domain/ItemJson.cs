using System.Text.Json;

namespace Pipelines.Reviews.Domain;

/// <summary>Reads an item's DynamoDB JSON (as <see cref="ReviewParser"/> writes it) back into domain values.</summary>
internal static class ItemJson
{
    public static List<KeyValuePair<string, ItemValue>> ReadAttributes(ReadOnlySpan<byte> itemJson)
    {
        var reader = new Utf8JsonReader(itemJson);
        reader.Read();
        return ReadMap(ref reader);
    }

    /// <summary>Reads <c>{"name": attribute value, ...}</c>, starting on its <c>{</c>.</summary>
    private static List<KeyValuePair<string, ItemValue>> ReadMap(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        var entries = new List<KeyValuePair<string, ItemValue>>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            entries.Add(new(name, ReadValue(ref reader)));
        }
        return entries;
    }

    /// <summary>Reads one attribute value, <c>{"S":"..."}</c> and its kin, starting on its <c>{</c>.</summary>
    private static ItemValue ReadValue(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        reader.Read();
        Expect(ref reader, JsonTokenType.PropertyName);
        var type = reader.GetString();
        reader.Read();
        ItemValue value;
        switch (type)
        {
            case "S":
                value = ItemValue.String(reader.GetString()!);
                break;
            case "N":
                value = ItemValue.Number(reader.GetString()!);
                break;
            case "BOOL":
                value = ItemValue.Boolean(reader.GetBoolean());
                break;
            case "NULL":
                value = ItemValue.NullValue;
                break;
            case "L":
                Expect(ref reader, JsonTokenType.StartArray);
                var items = new List<ItemValue>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) items.Add(ReadValue(ref reader));
                value = ItemValue.List(items);
                break;
            case "M":
                value = ItemValue.Map(ReadMap(ref reader));
                break;
            default:
                throw new JsonException($"'{type}' is not a DynamoDB attribute type this pipeline writes.");
        }
        reader.Read();
        Expect(ref reader, JsonTokenType.EndObject);
        return value;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type) throw new JsonException($"Expected {type} in an item's DynamoDB JSON, found {reader.TokenType}.");
    }
}

using System.Text.Json;
using Pipelines.Shared.Events;

namespace Pipelines.Orders.Cdc.Domain;

/// <summary>A DynamoDB attribute that cannot be expressed as JSON (no type member, or an N that is not a number).</summary>
internal sealed class InvalidAttributeValueException(string path, string problem)
    : Exception($"attribute '{path}': {problem}")
{
    public string Path { get; } = path;
}

/// <summary>
/// Writes DynamoDB typed attribute values as plain JSON: S -> string, N -> number with its exact decimal text,
/// BOOL -> true/false, NULL -> null, M -> object, L -> array, SS/NS/BS -> arrays (NS elements exact),
/// B and BS elements stay the base64 text DynamoDB sent.
/// </summary>
internal static class AttributeValueJson
{
    public static void WriteValue(Utf8JsonWriter writer, AttributeValue value, string path)
    {
        if (value.S is { } s) writer.WriteStringValue(s);
        else if (value.N is { } n) WriteNumber(writer, n, path);
        else if (value.B is { } b) writer.WriteStringValue(b);
        else if (value.BOOL is { } flag) writer.WriteBooleanValue(flag);
        else if (value.NULL is not null) writer.WriteNullValue();
        else if (value.M is { } map) WriteMap(writer, map, path);
        else if (value.L is { } list)
        {
            writer.WriteStartArray();
            for (var i = 0; i < list.Count; i++)
                WriteValue(writer, list[i] ?? throw new InvalidAttributeValueException($"{path}[{i}]", "null list element"), $"{path}[{i}]");
            writer.WriteEndArray();
        }
        else if (value.SS is { } strings) WriteStrings(writer, strings);
        else if (value.NS is { } numbers)
        {
            writer.WriteStartArray();
            for (var i = 0; i < numbers.Count; i++) WriteNumber(writer, numbers[i], $"{path}[{i}]");
            writer.WriteEndArray();
        }
        else if (value.BS is { } binaries) WriteStrings(writer, binaries);
        else throw new InvalidAttributeValueException(path, "no type member (S, N, B, BOOL, NULL, M, L, SS, NS, BS)");
    }

    /// <summary>Writes a map's attributes as an object, in the order DynamoDB sent them.</summary>
    public static void WriteMap(Utf8JsonWriter writer, IReadOnlyDictionary<string, AttributeValue> map, string path)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in map)
        {
            writer.WritePropertyName(name);
            WriteValue(writer, value ?? throw new InvalidAttributeValueException($"{path}.{name}", "null value"), $"{path}.{name}");
        }
        writer.WriteEndObject();
    }

    private static void WriteNumber(Utf8JsonWriter writer, string? text, string path)
    {
        if (text is null || !DynamoNumber.TryToJson(text, out var json))
            throw new InvalidAttributeValueException(path, $"'{text}' is not a number");
        // Raw text, not double/decimal: keeps 19.99 and 38-digit integers exactly as DynamoDB stored them.
        writer.WriteRawValue(json, skipInputValidation: true);
    }

    private static void WriteStrings(Utf8JsonWriter writer, List<string> values)
    {
        writer.WriteStartArray();
        foreach (var v in values) writer.WriteStringValue(v);
        writer.WriteEndArray();
    }
}

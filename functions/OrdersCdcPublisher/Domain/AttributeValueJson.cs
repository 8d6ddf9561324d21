using System.Text.Json;
using Pipelines.Shared.Events;

namespace Pipelines.Orders.Cdc.Domain;

/// <summary>A DynamoDB attribute that cannot be expressed as JSON (no type member, or an N that is not a number).</summary>
internal sealed class InvalidAttributeValueException(string path, string problem)
    : Exception($"attribute '{path}': {problem}")
{
    public string Path { get; } = path;

    public string Problem { get; } = problem;

    /// <summary>The same problem seen from the enclosing value: <paramref name="segment"/> goes in front of the path.</summary>
    public InvalidAttributeValueException Under(string segment) => new(segment + Path, Problem);
}

/// <summary>
/// Writes DynamoDB typed attribute values as plain JSON: S -> string, N -> number with its exact decimal text,
/// BOOL -> true/false, NULL -> null, M -> object, L -> array, SS/NS/BS -> arrays (NS elements exact),
/// B and BS elements stay the base64 text DynamoDB sent.
/// </summary>
/// <remarks>
/// The attribute path ("a.customer.name") is only built when a value is invalid: nested values throw with the
/// path below them and each enclosing level prefixes its own segment, so valid items cost no path strings.
/// </remarks>
internal static class AttributeValueJson
{
    public static void WriteValue(Utf8JsonWriter writer, AttributeValue value, string path)
    {
        try
        {
            Write(writer, value);
        }
        catch (InvalidAttributeValueException e)
        {
            throw e.Under(path);
        }
    }

    /// <summary>Writes a map's attributes as an object, in the order DynamoDB sent them.</summary>
    public static void WriteMap(Utf8JsonWriter writer, Dictionary<string, AttributeValue> map, string path)
    {
        try
        {
            WriteMapCore(writer, map);
        }
        catch (InvalidAttributeValueException e)
        {
            throw e.Under(path);
        }
    }

    /// <summary>Throws with the path relative to <paramref name="value"/> ("" for the value itself).</summary>
    private static void Write(Utf8JsonWriter writer, AttributeValue value)
    {
        if (value.S is { } s) writer.WriteStringValue(s);
        else if (value.N is { } n) WriteNumber(writer, n, -1);
        else if (value.B is { } b) writer.WriteStringValue(b);
        else if (value.BOOL is { } flag) writer.WriteBooleanValue(flag);
        else if (value.NULL is not null) writer.WriteNullValue();
        else if (value.M is { } map) WriteMapCore(writer, map);
        else if (value.L is { } list)
        {
            writer.WriteStartArray();
            for (var i = 0; i < list.Count; i++)
            {
                try
                {
                    Write(writer, list[i] ?? throw new InvalidAttributeValueException("", "null list element"));
                }
                catch (InvalidAttributeValueException e)
                {
                    throw e.Under(Index(i));
                }
            }
            writer.WriteEndArray();
        }
        else if (value.SS is { } strings) WriteStrings(writer, strings);
        else if (value.NS is { } numbers)
        {
            writer.WriteStartArray();
            for (var i = 0; i < numbers.Count; i++) WriteNumber(writer, numbers[i], i);
            writer.WriteEndArray();
        }
        else if (value.BS is { } binaries) WriteStrings(writer, binaries);
        else throw new InvalidAttributeValueException("", "no type member (S, N, B, BOOL, NULL, M, L, SS, NS, BS)");
    }

    private static void WriteMapCore(Utf8JsonWriter writer, Dictionary<string, AttributeValue> map)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in map)
        {
            writer.WritePropertyName(name);
            try
            {
                Write(writer, value ?? throw new InvalidAttributeValueException("", "null value"));
            }
            catch (InvalidAttributeValueException e)
            {
                throw e.Under("." + name);
            }
        }
        writer.WriteEndObject();
    }

    /// <param name="index">The element's index within an NS set, or -1 for an N value.</param>
    private static void WriteNumber(Utf8JsonWriter writer, string? text, int index)
    {
        if (text is null || !DynamoNumber.TryToJson(text, out var json))
            throw new InvalidAttributeValueException(index < 0 ? "" : Index(index), $"'{text}' is not a number");
        // Raw text, not double/decimal: keeps 19.99 and 38-digit integers exactly as DynamoDB stored them.
        writer.WriteRawValue(json, skipInputValidation: true);
    }

    private static string Index(int i) => $"[{i}]";

    private static void WriteStrings(Utf8JsonWriter writer, List<string> values)
    {
        writer.WriteStartArray();
        foreach (var v in values) writer.WriteStringValue(v);
        writer.WriteEndArray();
    }
}

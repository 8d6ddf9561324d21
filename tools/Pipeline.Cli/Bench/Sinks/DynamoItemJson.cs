using System.Text.Json;
using Amazon.DynamoDBv2.Model;

namespace Pipelines.Cli.Bench.Sinks;

/// <summary>
/// Items as DynamoDB JSON (<c>{"name":{"S":..},..}</c>), the form the in-memory DynamoDB stores them in: checked as
/// they arrive, materialised as SDK dictionaries only on the rare read paths (verification, SDK reads, conditions),
/// and SDK items written back as JSON. The attribute types the functions use (S, N, BOOL, NULL, M, L) are modelled;
/// any other is refused loudly, so a benchmark never measures a call it did not model.
/// </summary>
internal static class DynamoItemJson
{
    /// <summary>Checks an item's attribute types, on the item's <c>{</c>, to its <c>}</c>, allocating nothing.</summary>
    public static void Check(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            reader.Read();
            CheckValue(ref reader);
        }
        Expect(ref reader, JsonTokenType.EndObject);
    }

    /// <summary>Checks one attribute value, on its <c>{</c>, to its <c>}</c>.</summary>
    public static void CheckValue(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        reader.Read();
        Expect(ref reader, JsonTokenType.PropertyName);
        if (reader.ValueTextEquals("S"u8) || reader.ValueTextEquals("N"u8)) Next(ref reader, JsonTokenType.String);
        else if (reader.ValueTextEquals("BOOL"u8) || reader.ValueTextEquals("NULL"u8))
        {
            reader.Read();
            if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False)) throw Malformed(JsonTokenType.True, reader.TokenType);
        }
        else if (reader.ValueTextEquals("M"u8))
        {
            reader.Read();
            Check(ref reader);
        }
        else if (reader.ValueTextEquals("L"u8))
        {
            reader.Read();
            Expect(ref reader, JsonTokenType.StartArray);
            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject) CheckValue(ref reader);
            Expect(ref reader, JsonTokenType.EndArray);
        }
        else throw new NotSupportedException($"the bench's DynamoDB does not model attribute type {reader.GetString()}");
        reader.Read();
        Expect(ref reader, JsonTokenType.EndObject);
    }

    /// <summary>Whether a stored item has the attribute <paramref name="name"/>.</summary>
    public static bool Has(ReadOnlySpan<byte> item, string name)
    {
        var reader = new Utf8JsonReader(item);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(name)) return true;
            reader.Skip();
        }
        return false;
    }

    /// <summary>A stored item as the SDK's dictionary (a fresh copy: callers may change it).</summary>
    public static Dictionary<string, AttributeValue> Read(ReadOnlySpan<byte> item)
    {
        var reader = new Utf8JsonReader(item);
        reader.Read();
        return ReadItem(ref reader);
    }

    /// <summary>On an item's <c>{</c>: its attributes, to the item's <c>}</c>.</summary>
    public static Dictionary<string, AttributeValue> ReadItem(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        var item = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = Name(ref reader);
            reader.Read();
            item[name] = ReadValue(ref reader);
        }
        return item;
    }

    /// <summary>On a list's <c>[</c>: its values, to the <c>]</c>.</summary>
    public static List<AttributeValue> ReadList(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartArray);
        var list = new List<AttributeValue>();
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject) list.Add(ReadValue(ref reader));
        return list;
    }

    /// <summary>On a value's <c>{</c>: <c>{"S":..}</c>, <c>{"N":..}</c>, <c>{"BOOL":..}</c>, <c>{"NULL":true}</c>, <c>{"M":{..}}</c> or <c>{"L":[..]}</c>.</summary>
    private static AttributeValue ReadValue(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        reader.Read();
        Expect(ref reader, JsonTokenType.PropertyName);
        var type = reader.GetString();
        reader.Read();
        var value = type switch
        {
            "S" => new AttributeValue { S = reader.GetString() },
            "N" => new AttributeValue { N = reader.GetString() },
            "BOOL" => new AttributeValue { BOOL = reader.GetBoolean() },
            "NULL" => new AttributeValue { NULL = reader.GetBoolean() },
            "M" => new AttributeValue { M = ReadItem(ref reader) },
            "L" => new AttributeValue { L = ReadList(ref reader) },
            _ => throw new NotSupportedException($"the bench's DynamoDB does not model attribute type {type}"),
        };
        reader.Read();
        Expect(ref reader, JsonTokenType.EndObject);
        return value;
    }

    public static void Write(Utf8JsonWriter writer, Dictionary<string, AttributeValue> item)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in item)
        {
            writer.WritePropertyName(name);
            WriteValue(writer, value);
        }
        writer.WriteEndObject();
    }

    private static void WriteValue(Utf8JsonWriter writer, AttributeValue value)
    {
        writer.WriteStartObject();
        if (value.S is not null) writer.WriteString("S"u8, value.S);
        else if (value.N is not null) writer.WriteString("N"u8, value.N);
        else if (value.BOOL is { } b) writer.WriteBoolean("BOOL"u8, b);
        else if (value.NULL is true) writer.WriteBoolean("NULL"u8, true);
        else if (value.M is not null)
        {
            writer.WritePropertyName("M"u8);
            Write(writer, value.M);
        }
        else if (value.L is not null)
        {
            writer.WriteStartArray("L"u8);
            foreach (var element in value.L) WriteValue(writer, element);
            writer.WriteEndArray();
        }
        else throw new NotSupportedException("the bench's DynamoDB does not model this attribute type");
        writer.WriteEndObject();
    }

    /// <summary>A stored item with only the attributes named in <paramref name="projection"/>, in the item's order.</summary>
    public static void WriteProjected(Utf8JsonWriter writer, ReadOnlySpan<byte> item, string[] projection)
    {
        writer.WriteStartObject();
        var reader = new Utf8JsonReader(item);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = Projected(ref reader, projection);
            reader.Read();
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            if (name is null) continue;
            writer.WritePropertyName(name);
            writer.WriteRawValue(item[start..(int)reader.BytesConsumed], skipInputValidation: true);
        }
        writer.WriteEndObject();
    }

    private static string? Projected(ref Utf8JsonReader reader, string[] projection)
    {
        foreach (var name in projection)
            if (reader.ValueTextEquals(name)) return name;
        return null;
    }

    [ThreadStatic] private static List<string>? t_names;

    /// <summary>The property name the reader is on; attribute and table names repeat, so each is allocated once.</summary>
    public static string Name(ref Utf8JsonReader reader)
    {
        var names = t_names ??= [];
        foreach (var known in names)
            if (reader.ValueTextEquals(known)) return known;
        var name = reader.GetString()!;
        if (names.Count < 32) names.Add(name);
        return name;
    }

    public static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type) throw Malformed(type, reader.TokenType);
    }

    private static void Next(ref Utf8JsonReader reader, JsonTokenType type)
    {
        reader.Read();
        Expect(ref reader, type);
    }

    private static InvalidOperationException Malformed(JsonTokenType expected, JsonTokenType found) =>
        new($"malformed DynamoDB request: expected {expected}, found {found}");
}

using System.Buffers;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Pipelines.Cli.Bench.Sinks;

/// <summary>
/// DynamoDB JSON request bodies read into the SDK's request objects (so <see cref="InMemoryDynamoDb"/> applies them as
/// it applies the SDK's calls) and items written back as DynamoDB JSON. Covers the members the functions send; an
/// unknown member or attribute type is refused loudly, so a benchmark never measures a call it did not model.
/// </summary>
internal static class DynamoJsonRequests
{
    /// <summary><c>{"TableName","Key","UpdateExpression","ConditionExpression"?,"ExpressionAttributeValues"?,"ReturnValues"?}</c>.</summary>
    public static UpdateItemRequest ReadUpdateItem(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        reader.Read();
        Expect(ref reader, JsonTokenType.StartObject);
        var request = new UpdateItemRequest();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("TableName"u8)) request.TableName = Next(ref reader, ref t_table);
            else if (reader.ValueTextEquals("Key"u8)) request.Key = NextItem(ref reader);
            else if (reader.ValueTextEquals("UpdateExpression"u8)) request.UpdateExpression = Next(ref reader, ref t_update);
            else if (reader.ValueTextEquals("ConditionExpression"u8)) request.ConditionExpression = Next(ref reader, ref t_condition);
            else if (reader.ValueTextEquals("ExpressionAttributeValues"u8)) request.ExpressionAttributeValues = NextItem(ref reader);
            else if (reader.ValueTextEquals("ReturnValues"u8)) request.ReturnValues = ReturnValue.FindValue(Next(ref reader, ref t_returnValues));
            else throw new NotSupportedException($"the bench's DynamoDB does not model UpdateItem's {reader.GetString()}");
        }
        if (string.IsNullOrEmpty(request.TableName) || request.Key is not { Count: > 0 }) throw new InvalidOperationException("UpdateItem needs TableName and Key");
        return request;
    }

    // The same few texts arrive with every call: the last one read is reused rather than allocated again.
    [ThreadStatic] private static string? t_table;
    [ThreadStatic] private static string? t_update;
    [ThreadStatic] private static string? t_condition;
    [ThreadStatic] private static string? t_returnValues;

    /// <summary>The next value, a string: <paramref name="last"/> when it has the same text.</summary>
    private static string Next(ref Utf8JsonReader reader, ref string? last)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String) throw new InvalidOperationException($"malformed DynamoDB request: expected a string, found {reader.TokenType}");
        if (last is not null && reader.ValueTextEquals(last)) return last;
        return last = reader.GetString()!;
    }

    [ThreadStatic] private static List<string>? t_names;

    /// <summary>The property name the reader is on; attribute and table names repeat, so each is allocated once.</summary>
    private static string Name(ref Utf8JsonReader reader)
    {
        var names = t_names ??= [];
        foreach (var known in names)
            if (reader.ValueTextEquals(known)) return known;
        var name = reader.GetString()!;
        if (names.Count < 32) names.Add(name);
        return name;
    }

    private static Dictionary<string, AttributeValue> NextItem(ref Utf8JsonReader reader)
    {
        reader.Read();
        return ReadItem(ref reader);
    }

    /// <summary><c>{"RequestItems":{"&lt;table&gt;":[{"PutRequest":{"Item":{..}}}|{"DeleteRequest":{"Key":{..}}},..]}}</c>.</summary>
    public static BatchWriteItemRequest ReadBatchWriteItem(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        reader.Read();
        Expect(ref reader, JsonTokenType.StartObject);
        var tables = new Dictionary<string, List<WriteRequest>>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("RequestItems"u8)) throw new NotSupportedException($"the bench's DynamoDB does not model BatchWriteItem's {reader.GetString()}");
            reader.Read();
            Expect(ref reader, JsonTokenType.StartObject);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var writes = tables[Name(ref reader)] = [];
                reader.Read();
                Expect(ref reader, JsonTokenType.StartArray);
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    reader.Read();
                    Expect(ref reader, JsonTokenType.PropertyName);
                    var isPut = reader.ValueTextEquals("PutRequest"u8);
                    if (!isPut && !reader.ValueTextEquals("DeleteRequest"u8)) throw new InvalidOperationException($"unknown write request {reader.GetString()}");
                    reader.Read();
                    Expect(ref reader, JsonTokenType.StartObject);
                    reader.Read();
                    Expect(ref reader, JsonTokenType.PropertyName);
                    reader.Read();
                    var item = ReadItem(ref reader);
                    reader.Read();
                    Expect(ref reader, JsonTokenType.EndObject); // the Put/DeleteRequest
                    reader.Read();
                    Expect(ref reader, JsonTokenType.EndObject); // the write request
                    writes.Add(isPut ? new WriteRequest { PutRequest = new PutRequest { Item = item } } : new WriteRequest { DeleteRequest = new DeleteRequest { Key = item } });
                }
            }
        }
        return new BatchWriteItemRequest { RequestItems = tables };
    }

    /// <summary><c>{"Attributes":{..}}</c>, as UpdateItem answers with ALL_OLD.</summary>
    public static byte[] WriteAttributes(Dictionary<string, AttributeValue> item)
    {
        var output = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("Attributes"u8);
            WriteItem(writer, item);
            writer.WriteEndObject();
        }
        return output.WrittenSpan.ToArray();
    }

    /// <summary>On an item's <c>{</c>: its attributes, to the item's <c>}</c>.</summary>
    private static Dictionary<string, AttributeValue> ReadItem(ref Utf8JsonReader reader)
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

    private static List<AttributeValue> ReadList(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartArray);
        var list = new List<AttributeValue>();
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject) list.Add(ReadValue(ref reader));
        return list;
    }

    private static void WriteItem(Utf8JsonWriter writer, Dictionary<string, AttributeValue> item)
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
            WriteItem(writer, value.M);
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

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type) throw new InvalidOperationException($"malformed DynamoDB request: expected {type}, found {reader.TokenType}");
    }
}

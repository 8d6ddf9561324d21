using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Pipelines.Cli.Bench.Sinks;

/// <summary>
/// DynamoDB JSON request bodies read for <see cref="InMemoryDynamoDb"/>: the per-record calls (BatchWriteItem,
/// BatchExecuteStatement, BatchGetItem) as slices of the body's DynamoDB JSON, which the tables store and answer from
/// as they are, so a run builds no SDK objects; the rare UpdateItem as the SDK's request. Covers the members the
/// functions send; an unknown member or attribute type is refused loudly, so a benchmark never measures a call it did
/// not model.
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

    private static Dictionary<string, AttributeValue> NextItem(ref Utf8JsonReader reader)
    {
        reader.Read();
        return DynamoItemJson.ReadItem(ref reader);
    }

    /// <summary>
    /// <c>{"RequestItems":{"&lt;table&gt;":[{"PutRequest":{"Item":{..}}}|{"DeleteRequest":{"Key":{..}}},..]}}</c>:
    /// <paramref name="writes"/> gets each put's item and each delete's key, in order, as slices of the body.
    /// </summary>
    public static void ReadBatchWriteItem(ReadOnlySpan<byte> body, List<JsonWrite> writes)
    {
        writes.Clear();
        var reader = new Utf8JsonReader(body);
        reader.Read();
        Expect(ref reader, JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("RequestItems"u8)) throw new NotSupportedException($"the bench's DynamoDB does not model BatchWriteItem's {reader.GetString()}");
            reader.Read();
            Expect(ref reader, JsonTokenType.StartObject);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var table = DynamoItemJson.Name(ref reader);
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
                    var start = (int)reader.TokenStartIndex;
                    DynamoItemJson.Check(ref reader);
                    writes.Add(new JsonWrite(table, isPut, start, (int)reader.BytesConsumed - start));
                    reader.Read();
                    Expect(ref reader, JsonTokenType.EndObject); // the Put/DeleteRequest
                    reader.Read();
                    Expect(ref reader, JsonTokenType.EndObject); // the write request
                }
            }
        }
    }

    /// <summary>
    /// <c>{"Statements":[{"Statement":"INSERT INTO \"t\" VALUE {'a': ?, ..}","Parameters":[..],
    /// "ReturnValuesOnConditionCheckFailure":..?,"ConsistentRead":..?},..]}</c>, each statement's parameters bound to
    /// its attributes in order: <paramref name="inserts"/> gets each INSERT, its item written as DynamoDB JSON into
    /// <paramref name="items"/> (through <paramref name="writer"/>). A statement of another shape is a
    /// <see cref="FormatException"/> (DynamoDB: ValidationException).
    /// </summary>
    public static void ReadBatchExecuteStatement(ReadOnlySpan<byte> body, List<InsertStatement> inserts, ArrayBufferWriter<byte> items, Utf8JsonWriter writer)
    {
        inserts.Clear();
        items.ResetWrittenCount();
        var parameters = t_parameters ??= [];
        var reader = new Utf8JsonReader(body);
        reader.Read();
        Expect(ref reader, JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("Statements"u8)) throw new NotSupportedException($"the bench's DynamoDB does not model BatchExecuteStatement's {reader.GetString()}");
            reader.Read();
            Expect(ref reader, JsonTokenType.StartArray);
            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                var shape = ReadInsert(ref reader, parameters);
                var start = items.WrittenCount;
                writer.Reset(items);
                writer.WriteStartObject();
                for (var i = 0; i < parameters.Count; i++)
                {
                    writer.WritePropertyName(shape.EncodedAttributes[i]);
                    writer.WriteRawValue(body[parameters[i]], skipInputValidation: true); // checked as it was read
                }
                writer.WriteEndObject();
                writer.Flush();
                inserts.Add(new InsertStatement(shape.Table, start, items.WrittenCount - start));
            }
        }
    }

    [ThreadStatic] private static List<Range>? t_parameters;
    [ThreadStatic] private static string? t_statement;
    [ThreadStatic] private static string? t_returnValuesOnFailure;

    /// <summary>On a statement's <c>{</c>: the INSERT it makes, to the statement's <c>}</c>; its parameters' values (checked) into <paramref name="parameters"/>.</summary>
    private static PartiQLInsertShape ReadInsert(ref Utf8JsonReader reader, List<Range> parameters)
    {
        string? text = null;
        parameters.Clear();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("Statement"u8)) text = Next(ref reader, ref t_statement);
            else if (reader.ValueTextEquals("Parameters"u8))
            {
                reader.Read();
                Expect(ref reader, JsonTokenType.StartArray);
                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    var start = (int)reader.TokenStartIndex;
                    DynamoItemJson.CheckValue(ref reader);
                    parameters.Add(start..(int)reader.BytesConsumed);
                }
            }
            else if (reader.ValueTextEquals("ReturnValuesOnConditionCheckFailure"u8)) Next(ref reader, ref t_returnValuesOnFailure);
            else if (reader.ValueTextEquals("ConsistentRead"u8)) reader.Read();
            else throw new NotSupportedException($"the bench's DynamoDB does not model a batch statement's {reader.GetString()}");
        }
        var shape = InsertShapes.GetOrAdd(text ?? throw new FormatException("A batch statement has no Statement."), PartiQLInsertShape.Parse);
        if (parameters.Count != shape.Attributes.Length)
            throw new FormatException($"{parameters.Count} parameters were given for the {shape.Attributes.Length} ? of: {text}");
        return shape;
    }

    // Functions send the same statement text for every claim: it is parsed once.
    private static readonly ConcurrentDictionary<string, PartiQLInsertShape> InsertShapes = new(StringComparer.Ordinal);

    /// <summary>
    /// <c>{"Responses":[{"TableName":..} | {"Error":{"Code":"DuplicateItem","Message":..},"TableName":..},..]}</c>:
    /// DynamoDB's answer to INSERTs, without the item on a DuplicateItem (DynamoDB does not promise it for INSERT).
    /// </summary>
    public static byte[] WriteStatementResponses(List<InsertStatement> inserts, bool[] duplicate)
    {
        var output = new ArrayBufferWriter<byte>(64 * inserts.Count + 32);
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("Responses"u8);
            for (var i = 0; i < inserts.Count; i++)
            {
                writer.WriteStartObject();
                if (duplicate[i])
                {
                    writer.WriteStartObject("Error"u8);
                    writer.WriteString("Code"u8, "DuplicateItem"u8);
                    writer.WriteString("Message"u8, "Duplicate primary key exists in table"u8);
                    writer.WriteEndObject();
                }
                writer.WriteString("TableName"u8, inserts[i].Table);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return output.WrittenSpan.ToArray();
    }

    /// <summary>
    /// <c>{"RequestItems":{"&lt;table&gt;":{"Keys":[..],"ConsistentRead":..?,"ProjectionExpression":..?},..}}</c>:
    /// per table, its keys as slices of the body and its projection (a plain list of attribute names) if any.
    /// </summary>
    public static List<TableKeys> ReadBatchGetItem(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        reader.Read();
        Expect(ref reader, JsonTokenType.StartObject);
        var tables = new List<TableKeys>(1);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("RequestItems"u8)) throw new NotSupportedException($"the bench's DynamoDB does not model BatchGetItem's {reader.GetString()}");
            reader.Read();
            Expect(ref reader, JsonTokenType.StartObject);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var table = DynamoItemJson.Name(ref reader);
                var keys = new List<Range>();
                string[]? projection = null;
                reader.Read();
                Expect(ref reader, JsonTokenType.StartObject);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("Keys"u8))
                    {
                        reader.Read();
                        Expect(ref reader, JsonTokenType.StartArray);
                        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                        {
                            var start = (int)reader.TokenStartIndex;
                            DynamoItemJson.Check(ref reader);
                            keys.Add(start..(int)reader.BytesConsumed);
                        }
                    }
                    else if (reader.ValueTextEquals("ConsistentRead"u8))
                    {
                        reader.Read();
                        reader.GetBoolean(); // every read here is consistent
                    }
                    else if (reader.ValueTextEquals("ProjectionExpression"u8))
                    {
                        var names = Next(ref reader, ref t_projection);
                        projection = names.Length == 0
                            ? null
                            : Projections.GetOrAdd(names, static n => n.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries));
                    }
                    else throw new NotSupportedException($"the bench's DynamoDB does not model BatchGetItem's {reader.GetString()}");
                }
                tables.Add(new TableKeys(table, keys, projection));
            }
        }
        return tables;
    }

    [ThreadStatic] private static string? t_projection;

    // Functions send the same projection with every read: it is split once.
    private static readonly ConcurrentDictionary<string, string[]> Projections = new(StringComparer.Ordinal);

    /// <summary>
    /// <c>{"Responses":{"&lt;table&gt;":[item,..]},"UnprocessedKeys":{}}</c>, each item cut to its table's projection
    /// when it has one.
    /// </summary>
    public static byte[] WriteBatchGetItemResponse(ReadOnlySpan<byte> body, List<TableKeys> tables, InMemoryDynamoDb dynamo)
    {
        var output = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("Responses"u8);
            foreach (var table in tables) dynamo.WriteFound(table.Table, body, table.Keys, table.Projection, writer);
            writer.WriteEndObject();
            writer.WriteStartObject("UnprocessedKeys"u8);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        return output.WrittenSpan.ToArray();
    }

    /// <summary><c>{"Attributes":{..}}</c>, as UpdateItem answers with ALL_OLD.</summary>
    public static byte[] WriteAttributes(Dictionary<string, AttributeValue> item)
    {
        var output = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("Attributes"u8);
            DynamoItemJson.Write(writer, item);
            writer.WriteEndObject();
        }
        return output.WrittenSpan.ToArray();
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type) => DynamoItemJson.Expect(ref reader, type);
}

/// <summary>One INSERT of a BatchExecuteStatement call with its parameters bound: the table and the item it puts (at <see cref="Start"/> in the items written).</summary>
internal readonly record struct InsertStatement(string Table, int Start, int Length);

/// <summary>One table of a BatchGetItem call: its keys (slices of the body) and its projection, if any.</summary>
internal sealed record TableKeys(string Table, List<Range> Keys, string[]? Projection);

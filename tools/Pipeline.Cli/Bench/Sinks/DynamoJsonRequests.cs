using System.Buffers;
using System.Collections.Concurrent;
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

    /// <summary>
    /// <c>{"Statements":[{"Statement":"INSERT INTO \"t\" VALUE {'a': ?, ..}","Parameters":[..],
    /// "ReturnValuesOnConditionCheckFailure":..?,"ConsistentRead":..?},..]}</c>, each statement's parameters bound to
    /// its attributes in order. A statement of another shape is a <see cref="FormatException"/> (DynamoDB: ValidationException).
    /// </summary>
    public static List<InsertStatement> ReadBatchExecuteStatement(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        reader.Read();
        Expect(ref reader, JsonTokenType.StartObject);
        var inserts = new List<InsertStatement>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("Statements"u8)) throw new NotSupportedException($"the bench's DynamoDB does not model BatchExecuteStatement's {reader.GetString()}");
            reader.Read();
            Expect(ref reader, JsonTokenType.StartArray);
            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject) inserts.Add(ReadInsert(ref reader));
        }
        return inserts;
    }

    [ThreadStatic] private static string? t_statement;
    [ThreadStatic] private static string? t_returnValuesOnFailure;

    /// <summary>On a statement's <c>{</c>: the INSERT it makes, to the statement's <c>}</c>.</summary>
    private static InsertStatement ReadInsert(ref Utf8JsonReader reader)
    {
        string? text = null;
        List<AttributeValue>? parameters = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("Statement"u8)) text = Next(ref reader, ref t_statement);
            else if (reader.ValueTextEquals("Parameters"u8))
            {
                reader.Read();
                parameters = ReadList(ref reader);
            }
            else if (reader.ValueTextEquals("ReturnValuesOnConditionCheckFailure"u8)) Next(ref reader, ref t_returnValuesOnFailure);
            else if (reader.ValueTextEquals("ConsistentRead"u8)) reader.Read();
            else throw new NotSupportedException($"the bench's DynamoDB does not model a batch statement's {reader.GetString()}");
        }
        var shape = InsertShapes.GetOrAdd(text ?? throw new FormatException("A batch statement has no Statement."), PartiQLInsertShape.Parse);
        if ((parameters?.Count ?? 0) != shape.Attributes.Length)
            throw new FormatException($"{parameters?.Count ?? 0} parameters were given for the {shape.Attributes.Length} ? of: {text}");
        var item = new Dictionary<string, AttributeValue>(shape.Attributes.Length, StringComparer.Ordinal);
        for (var i = 0; i < shape.Attributes.Length; i++) item[shape.Attributes[i]] = parameters![i];
        return new InsertStatement(shape.Table, item);
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
    /// <c>{"RequestItems":{"&lt;table&gt;":{"Keys":[..],"ConsistentRead":..?,"ProjectionExpression":..?},..}}</c>.
    /// </summary>
    public static BatchGetItemRequest ReadBatchGetItem(ReadOnlySpan<byte> body)
    {
        var reader = new Utf8JsonReader(body);
        reader.Read();
        Expect(ref reader, JsonTokenType.StartObject);
        var tables = new Dictionary<string, KeysAndAttributes>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals("RequestItems"u8)) throw new NotSupportedException($"the bench's DynamoDB does not model BatchGetItem's {reader.GetString()}");
            reader.Read();
            Expect(ref reader, JsonTokenType.StartObject);
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var wanted = tables[Name(ref reader)] = new KeysAndAttributes { Keys = [] };
                reader.Read();
                Expect(ref reader, JsonTokenType.StartObject);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("Keys"u8))
                    {
                        reader.Read();
                        Expect(ref reader, JsonTokenType.StartArray);
                        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject) wanted.Keys.Add(ReadItem(ref reader));
                    }
                    else if (reader.ValueTextEquals("ConsistentRead"u8))
                    {
                        reader.Read();
                        wanted.ConsistentRead = reader.GetBoolean();
                    }
                    else if (reader.ValueTextEquals("ProjectionExpression"u8)) wanted.ProjectionExpression = Next(ref reader, ref t_projection);
                    else throw new NotSupportedException($"the bench's DynamoDB does not model BatchGetItem's {reader.GetString()}");
                }
            }
        }
        return new BatchGetItemRequest { RequestItems = tables };
    }

    [ThreadStatic] private static string? t_projection;

    /// <summary>
    /// <c>{"Responses":{"&lt;table&gt;":[item,..]},"UnprocessedKeys":{}}</c>, each item cut to the request's
    /// projection (a plain list of attribute names) when it has one.
    /// </summary>
    public static byte[] WriteBatchGetItemResponse(BatchGetItemRequest request, BatchGetItemResponse response)
    {
        var output = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("Responses"u8);
            foreach (var (table, items) in response.Responses)
            {
                var projection = request.RequestItems[table].ProjectionExpression is { Length: > 0 } names
                    ? names.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    : null;
                writer.WriteStartArray(table);
                foreach (var item in items)
                    WriteItem(writer, projection is null ? item : item.Where(a => projection.Contains(a.Key)).ToDictionary(StringComparer.Ordinal));
                writer.WriteEndArray();
            }
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

/// <summary>One INSERT of a BatchExecuteStatement call with its parameters bound: the table and the item it puts.</summary>
internal sealed record InsertStatement(string Table, Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue> Item);

/// <summary>
/// The PartiQL the bench's DynamoDB runs: <c>INSERT INTO "table" VALUE {'name': ?, ..}</c> (a bare table name
/// also), every value a <c>?</c> parameter. Anything else is refused, so a benchmark never measures a statement
/// whose effect it did not model.
/// </summary>
internal sealed record PartiQLInsertShape(string Table, string[] Attributes)
{
    /// <exception cref="FormatException">Not an INSERT of that shape.</exception>
    public static PartiQLInsertShape Parse(string statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var text = statement.AsSpan();
        var at = 0;
        Keyword(text, ref at, "INSERT", statement);
        Keyword(text, ref at, "INTO", statement);
        var table = TableName(text, ref at, statement);
        Keyword(text, ref at, "VALUE", statement);
        Expect(text, ref at, '{', statement);
        var attributes = new List<string>();
        do
        {
            attributes.Add(Quoted(text, ref at, '\'', statement));
            Expect(text, ref at, ':', statement);
            Expect(text, ref at, '?', statement);
        }
        while (TryConsume(text, ref at, ','));
        Expect(text, ref at, '}', statement);
        SkipSpace(text, ref at);
        if (at != text.Length) throw Malformed(statement, at, "the end of the statement");
        if (attributes.Distinct(StringComparer.Ordinal).Count() != attributes.Count) throw new FormatException($"An attribute appears twice in: {statement}");
        return new PartiQLInsertShape(table, [.. attributes]);
    }

    private static void Keyword(ReadOnlySpan<char> text, ref int at, string keyword, string statement)
    {
        SkipSpace(text, ref at);
        var end = at;
        while (end < text.Length && char.IsAsciiLetter(text[end])) end++;
        if (!text[at..end].Equals(keyword, StringComparison.OrdinalIgnoreCase)) throw Malformed(statement, at, keyword);
        at = end;
    }

    private static string TableName(ReadOnlySpan<char> text, ref int at, string statement)
    {
        SkipSpace(text, ref at);
        if (at < text.Length && text[at] == '"') return Quoted(text, ref at, '"', statement);
        var start = at;
        while (at < text.Length && (char.IsAsciiLetterOrDigit(text[at]) || text[at] is '_' or '.' or '-')) at++;
        return at > start ? text[start..at].ToString() : throw Malformed(statement, at, "a table name");
    }

    /// <summary>A <paramref name="quote"/>-quoted text; a doubled quote stands for one.</summary>
    private static string Quoted(ReadOnlySpan<char> text, ref int at, char quote, string statement)
    {
        SkipSpace(text, ref at);
        if (at >= text.Length || text[at] != quote) throw Malformed(statement, at, $"{quote}-quoted text");
        var value = new System.Text.StringBuilder();
        for (at++; at < text.Length; at++)
        {
            if (text[at] != quote)
            {
                value.Append(text[at]);
                continue;
            }
            if (at + 1 < text.Length && text[at + 1] == quote)
            {
                value.Append(quote);
                at++;
                continue;
            }
            at++;
            return value.ToString();
        }
        throw new FormatException($"Unterminated {quote}-quoted text in: {statement}");
    }

    private static bool TryConsume(ReadOnlySpan<char> text, ref int at, char c)
    {
        SkipSpace(text, ref at);
        if (at >= text.Length || text[at] != c) return false;
        at++;
        return true;
    }

    private static void Expect(ReadOnlySpan<char> text, ref int at, char c, string statement)
    {
        if (!TryConsume(text, ref at, c)) throw Malformed(statement, at, $"'{c}'");
    }

    private static void SkipSpace(ReadOnlySpan<char> text, ref int at)
    {
        while (at < text.Length && char.IsWhiteSpace(text[at])) at++;
    }

    private static FormatException Malformed(string statement, int at, string expected) =>
        new($"Statement wasn't well formed, can't be processed: expected {expected} at position {at} of: {statement}");
}

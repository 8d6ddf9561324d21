using System.Text;
using System.Text.Json;

namespace Pipelines.Reviews.Domain;

/// <summary>
/// Copies one JSON value of a review into DynamoDB's attribute-value JSON (<c>{"S":..}</c>, <c>{"N":".."}</c>,
/// <c>{"BOOL":..}</c>, <c>{"NULL":true}</c>, <c>{"L":[..]}</c>, <c>{"M":{..}}</c>) in the same pass that checks what
/// DynamoDB would refuse mid-batch and sizes the value as DynamoDB counts it (<see cref="DynamoDbItemRules"/>):
/// strings by their decoded UTF-8 bytes, so escaped text is decoded to be measured, though it is copied as it came.
/// With no writer it only checks (fields the pipeline replaces must still be storable JSON, as before).
/// </summary>
internal static class AttributeValueTranscoder
{
    public const string UnpairedSurrogate = "a string contains an escaped unpaired surrogate (not valid Unicode)";

    public const string EmptyName = "a field name is empty (DynamoDB attribute names need at least one character)";

    private static readonly string TooDeep = $"nesting is deeper than DynamoDB's {DynamoDbItemRules.MaxNestingDepth} levels";

    /// <summary>Reads the value the reader is on (its first token) to its last token.</summary>
    /// <param name="depth">How many lists and maps enclose the value: 0 for a top-level field.</param>
    /// <returns>Null, or why the item can never be stored.</returns>
    public static string? Transcode(ref Utf8JsonReader reader, ItemJsonWriter? writer, ParseScratch scratch, int depth, out int size)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                size = 0;
                if (!scratch.TryGetText(ref reader, out var text)) return UnpairedSurrogate;
                size = text.Length;
                writer?.RawString(reader.ValueSpan);
                return null;
            case JsonTokenType.Number:
                var number = reader.ValueSpan;
                size = 0;
                var error = DynamoDbItemRules.TryAnalyzeNumber(number, out var shape);
                if (error is not null) return error;
                size = DynamoDbItemRules.NumberSize(shape);
                writer?.Number(number);
                return null;
            case JsonTokenType.True:
            case JsonTokenType.False:
                size = DynamoDbItemRules.ScalarSize;
                writer?.Boolean(reader.TokenType == JsonTokenType.True);
                return null;
            case JsonTokenType.Null:
                size = DynamoDbItemRules.ScalarSize;
                writer?.Null();
                return null;
            case JsonTokenType.StartArray:
                return TranscodeList(ref reader, writer, scratch, depth, out size);
            default:
                return TranscodeMap(ref reader, writer, scratch, depth, out size);
        }
    }

    /// <summary>
    /// Reads a member name and records it in <paramref name="scope"/>, refusing what DynamoDB would: an empty name,
    /// the same name twice, a name that is not Unicode text.
    /// </summary>
    public static string? ReadName(ref Utf8JsonReader reader, ParseScratch scratch, ref FieldNames.Scope scope, out ReadOnlySpan<byte> name)
    {
        if (!scratch.TryGetText(ref reader, out name)) return UnpairedSurrogate;
        if (name.IsEmpty) return EmptyName;
        if (!scratch.Names.Add(ref scope, name)) return Duplicate(name);
        return null;
    }

    public static string Duplicate(ReadOnlySpan<byte> name) => $"duplicate field '{Abbreviate(Encoding.UTF8.GetString(name))}'";

    private static string? TranscodeList(ref Utf8JsonReader reader, ItemJsonWriter? writer, ParseScratch scratch, int depth, out int size)
    {
        size = DynamoDbItemRules.CollectionOverhead;
        if (depth + 1 > DynamoDbItemRules.MaxNestingDepth) return TooDeep;
        writer?.StartList();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            writer?.Element();
            var error = Transcode(ref reader, writer, scratch, depth + 1, out var itemSize);
            if (error is not null) return error;
            size += DynamoDbItemRules.ElementOverhead + itemSize;
        }
        writer?.EndList();
        return null;
    }

    private static string? TranscodeMap(ref Utf8JsonReader reader, ItemJsonWriter? writer, ParseScratch scratch, int depth, out int size)
    {
        size = DynamoDbItemRules.CollectionOverhead;
        if (depth + 1 > DynamoDbItemRules.MaxNestingDepth) return TooDeep;
        writer?.StartMap();
        var scope = scratch.Names.Open();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var error = ReadName(ref reader, scratch, ref scope, out var name);
            if (error is not null) return error;
            writer?.Name(reader.ValueSpan);
            var nameLength = name.Length;
            reader.Read();
            error = Transcode(ref reader, writer, scratch, depth + 1, out var valueSize);
            if (error is not null) return error;
            size += DynamoDbItemRules.ElementOverhead + nameLength + valueSize;
        }
        scratch.Names.Close(scope);
        writer?.EndMap();
        return null;
    }

    private static string Abbreviate(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");
}

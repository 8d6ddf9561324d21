using System.Text;
using System.Text.Json;
using Pipelines.Shared.Text;

namespace Pipelines.Counties.Domain;

/// <summary>
/// Reads one producer row (the CSV columns as JSON plus a <c>timestamp</c>) with a forward-only reader: only
/// <c>County</c> and <c>timestamp</c> matter here, the other columns are checked for well-formed JSON and skipped.
/// </summary>
internal static class CountyRowParser
{
    public const string CountyField = "County";
    public const string TimestampField = "timestamp";

    /// <summary>The county is the table's partition key, and DynamoDB caps those at 2048 bytes.</summary>
    public const int MaxCountyBytes = 2048;

    public static CountyParseResult Parse(ReadOnlySpan<byte> utf8Json)
    {
        if (utf8Json.IsEmpty) return CountyParseResult.Reject("empty payload");
        try
        {
            return ParseObject(utf8Json);
        }
        catch (JsonException e)
        {
            return CountyParseResult.Reject($"not valid JSON: {e.Message}");
        }
        catch (InvalidOperationException)
        {
            // Utf8JsonReader.GetString throws for escapes that decode to an unpaired surrogate.
            return CountyParseResult.Reject("a string contains an escaped unpaired surrogate (not valid Unicode)");
        }
    }

    private static CountyParseResult ParseObject(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            var kind = Describe(reader.TokenType);
            reader.Skip();
            // Read to the end so trailing garbage is reported as invalid JSON rather than "not an object".
            while (reader.Read()) { }
            return CountyParseResult.Reject($"payload is a JSON {kind}, not an object");
        }

        string? county = null, timestamp = null;
        JsonTokenType countyType = JsonTokenType.None, timestampType = JsonTokenType.None;
        bool seenCounty = false, seenTimestamp = false;
        string? duplicate = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(CountyField))
            {
                if (seenCounty) duplicate ??= CountyField;
                seenCounty = true;
                reader.Read();
                countyType = reader.TokenType;
                county = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else if (reader.ValueTextEquals(TimestampField))
            {
                if (seenTimestamp) duplicate ??= TimestampField;
                seenTimestamp = true;
                reader.Read();
                timestampType = reader.TokenType;
                timestamp = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }
            else
            {
                reader.Read();
            }
            reader.Skip();
        }
        // Anything after the closing brace makes the payload invalid JSON (the reader throws).
        while (reader.Read()) { }

        if (duplicate is not null) return CountyParseResult.Reject($"duplicate field '{duplicate}'");

        // Valid rows (nearly all) allocate no error list.
        List<string>? errors = null;
        var trimmed = county?.Trim();
        if (!seenCounty || countyType == JsonTokenType.Null) (errors ??= new List<string>(2)).Add($"{CountyField} is missing");
        else if (countyType != JsonTokenType.String) (errors ??= new List<string>(2)).Add($"{CountyField} must be a string, got {Describe(countyType)}");
        else if (trimmed!.Length == 0) (errors ??= new List<string>(2)).Add($"{CountyField} is empty");
        else if (Encoding.UTF8.GetByteCount(trimmed) > MaxCountyBytes)
            (errors ??= new List<string>(2)).Add($"{CountyField} is longer than DynamoDB's {MaxCountyBytes}-byte partition key limit");

        if (!seenTimestamp || timestampType == JsonTokenType.Null) (errors ??= new List<string>(2)).Add($"{TimestampField} is missing");
        else if (timestampType != JsonTokenType.String) (errors ??= new List<string>(2)).Add($"{TimestampField} must be an ISO 8601 string, got {Describe(timestampType)}");
        else if (!Iso8601.TryParseWithOffset(timestamp!, out _))
            (errors ??= new List<string>(2)).Add($"{TimestampField} '{Abbreviate(timestamp!)}' is not an ISO 8601 date-time with an offset or Z");

        return errors is not null ? CountyParseResult.Reject(string.Join("; ", errors)) : CountyParseResult.Accept(trimmed!);
    }

    private static string Describe(JsonTokenType type) => type switch
    {
        JsonTokenType.StartArray => "array",
        JsonTokenType.StartObject => "object",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => type.ToString(),
    };

    private static string Abbreviate(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");
}

using System.Text;
using System.Text.Json;
using Pipelines.Shared.Text;

namespace Pipelines.Counties.Domain;

/// <summary>
/// Reads one producer row (the CSV columns as JSON plus a <c>timestamp</c>) with a forward-only reader: only
/// <c>County</c> and <c>timestamp</c> matter here, the other columns are checked for well-formed JSON and skipped.
/// A valid row allocates nothing: the county comes back as bytes of the payload and the timestamp is checked in place.
/// </summary>
/// <remarks>The payload must be valid UTF-8 (the processor checks that while decoding the record).</remarks>
internal static class CountyRowParser
{
    public const string CountyField = "County";
    public const string TimestampField = "timestamp";

    /// <summary>The county is the table's partition key, and DynamoDB caps those at 2048 bytes.</summary>
    public const int MaxCountyBytes = 2048;

    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Disallow };

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
            // Unescaping throws for escapes that decode to an unpaired surrogate.
            return CountyParseResult.Reject("a string contains an escaped unpaired surrogate (not valid Unicode)");
        }
    }

    private static CountyParseResult ParseObject(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, Options);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            var kind = Describe(reader.TokenType);
            reader.Skip();
            // Read to the end so trailing garbage is reported as invalid JSON rather than "not an object".
            while (reader.Read()) { }
            return CountyParseResult.Reject($"payload is a JSON {kind}, not an object");
        }

        ReadOnlySpan<byte> county = [], timestamp = [];
        JsonTokenType countyType = JsonTokenType.None, timestampType = JsonTokenType.None;
        bool seenCounty = false, seenTimestamp = false;
        string? duplicate = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("County"u8))
            {
                if (seenCounty) duplicate ??= CountyField;
                seenCounty = true;
                reader.Read();
                countyType = reader.TokenType;
                if (countyType == JsonTokenType.String) county = Unescaped(ref reader);
            }
            else if (reader.ValueTextEquals("timestamp"u8))
            {
                if (seenTimestamp) duplicate ??= TimestampField;
                seenTimestamp = true;
                reader.Read();
                timestampType = reader.TokenType;
                if (timestampType == JsonTokenType.String) timestamp = Unescaped(ref reader);
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

        var trimmed = Utf8Whitespace.Trim(county);
        var countyError = !seenCounty || countyType == JsonTokenType.Null ? $"{CountyField} is missing"
            : countyType != JsonTokenType.String ? $"{CountyField} must be a string, got {Describe(countyType)}"
            : trimmed.IsEmpty ? $"{CountyField} is empty"
            : trimmed.Length > MaxCountyBytes ? $"{CountyField} is longer than DynamoDB's {MaxCountyBytes}-byte partition key limit"
            : null;
        var timestampError = !seenTimestamp || timestampType == JsonTokenType.Null ? $"{TimestampField} is missing"
            : timestampType != JsonTokenType.String ? $"{TimestampField} must be an ISO 8601 string, got {Describe(timestampType)}"
            : !Iso8601.IsValidWithOffset(timestamp)
                ? $"{TimestampField} '{Abbreviate(Encoding.UTF8.GetString(timestamp))}' is not an ISO 8601 date-time with an offset or Z"
                : null;

        return (countyError, timestampError) switch
        {
            (null, null) => CountyParseResult.Accept(trimmed),
            (not null, not null) => CountyParseResult.Reject($"{countyError}; {timestampError}"),
            _ => CountyParseResult.Reject(countyError ?? timestampError!),
        };
    }

    /// <summary>The string token's UTF-8 without JSON escapes: the payload's own bytes unless it has escapes (rare).</summary>
    private static ReadOnlySpan<byte> Unescaped(scoped ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped) return reader.ValueSpan;
        // Unescaped text is never longer than its escaped form.
        var buffer = new byte[reader.ValueSpan.Length];
        return buffer.AsSpan(0, reader.CopyString(buffer));
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

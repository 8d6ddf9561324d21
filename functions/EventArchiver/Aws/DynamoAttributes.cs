using System.Buffers.Text;
using System.Text.Json;
using Pipelines.Events.Domain;

namespace Pipelines.Events.Aws;

/// <summary>The dedup table's attribute names and how their values are written in DynamoDB JSON.</summary>
internal static class DynamoAttributes
{
    public const string Key = "event_uuid";
    public const string ClaimedBy = "claimed_by";
    public const string ObjectKey = "object_key";
    public const string ExpiresAt = "expires_at";

    // Encoded once: every request names them.
    public static readonly JsonEncodedText KeyName = JsonEncodedText.Encode(Key);
    public static readonly JsonEncodedText ClaimedByName = JsonEncodedText.Encode(ClaimedBy);
    public static readonly JsonEncodedText ObjectKeyName = JsonEncodedText.Encode(ObjectKey);
    public static readonly JsonEncodedText ExpiresAtName = JsonEncodedText.Encode(ExpiresAt);

    /// <summary><c>"name":{"S":"value"}</c>.</summary>
    public static void WriteString(Utf8JsonWriter writer, JsonEncodedText name, string value)
    {
        writer.WriteStartObject(name);
        writer.WriteString("S"u8, value);
        writer.WriteEndObject();
    }

    /// <summary><c>"name":{"S":"shard:seq"}</c>, formatted on the stack.</summary>
    public static void WriteRecordId(Utf8JsonWriter writer, JsonEncodedText name, RecordId id)
    {
        writer.WriteStartObject(name);
        WriteRecordIdValue(writer, id);
        writer.WriteEndObject();
    }

    /// <summary><c>"S":"shard:seq"</c> inside an open object, formatted on the stack.</summary>
    public static void WriteRecordIdValue(Utf8JsonWriter writer, RecordId id)
    {
        // Kinesis shard ids are ~20 characters and sequence numbers at most 128 digits.
        Span<char> text = id.TextLength <= 256 ? stackalloc char[256] : new char[id.TextLength];
        id.TryFormat(text, out var length);
        writer.WriteString("S"u8, text[..length]);
    }

    /// <summary><c>"name":{"N":"123"}</c>: DynamoDB numbers travel as decimal strings.</summary>
    public static void WriteNumber(Utf8JsonWriter writer, JsonEncodedText name, long value)
    {
        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(value, digits, out var length);
        writer.WriteStartObject(name);
        writer.WriteString("N"u8, digits[..length]);
        writer.WriteEndObject();
    }
}

using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Pipelines.Shared.Text;

namespace Pipelines.Events.Domain;

/// <summary>
/// Validates one event payload and produces its archived form. Pure: the same bytes always give the same result,
/// byte for byte, which is what lets a retried write reproduce an object exactly.
/// </summary>
internal static class EventParser
{
    /// <summary>
    /// Largest payload accepted (Kinesis's classic record limit). Bounds one group object at batch size x 1 MiB
    /// and keeps an event a document, not a blob.
    /// </summary>
    public const int MaxEventBytes = 1024 * 1024;

    /// <summary>Longest event type: it becomes an S3 key segment, and keys are limited to 1024 bytes.</summary>
    public const int MaxEventTypeLength = 128;

    /// <summary>created_at must name an instant DateTimeOffset can hold (up to 9999-12-31T23:59:59.999Z).</summary>
    private const decimal MaxCreatedAt = 253402300800m;

    internal const string CreatedDatetimeField = "created_datetime";
    internal const string EventTypeField = "event_type";
    internal const string EventSubtypeField = "event_subtype";

    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64, AllowDuplicateProperties = false };

    // Relaxed escaping keeps non-ASCII text readable in the archive; these files are never embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    public static ParseResult Parse(ReadOnlyMemory<byte> payload)
    {
        if (payload.Length > MaxEventBytes)
            return ParseResult.Reject(RejectReason.Oversize, $"payload is {payload.Length} bytes; the limit is {MaxEventBytes}");
        if (payload.Span.StartsWith(Utf8Bom)) payload = payload[Utf8Bom.Length..];
        if (!Utf8.IsValid(payload.Span))
            return ParseResult.Reject(RejectReason.InvalidUtf8, "payload is not valid UTF-8");
        if (payload.Span.Trim(" \t\r\n"u8).IsEmpty)
            return ParseResult.Reject(RejectReason.NotJson, "payload is empty");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload, DocumentOptions);
        }
        catch (JsonException e)
        {
            return ParseResult.Reject(RejectReason.NotJson, e.Message);
        }

        using (document)
        {
            return Validate(document.RootElement);
        }
    }

    private static ParseResult Validate(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
            return ParseResult.Reject(RejectReason.NotAnObject, $"payload is a JSON {Describe(root.ValueKind)}, not an object");

        if (!TryGetString(root, "event_uuid", out var uuidText, out var reject)) return reject;
        if (!Guid.TryParseExact(uuidText, "D", out var uuid))
            return ParseResult.Reject(RejectReason.InvalidUuid, "event_uuid is not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
        // The nil UUID is a producer's placeholder, not an identity: deduplicating on it would merge unrelated events.
        if (uuid == Guid.Empty)
            return ParseResult.Reject(RejectReason.InvalidUuid, "event_uuid is the nil UUID");

        if (!TryGetString(root, "event_name", out var eventName, out reject)) return reject;
        var colon = eventName.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
            return ParseResult.Reject(RejectReason.InvalidEventName, "event_name has no ':' between type and subtype");
        var eventType = eventName[..colon];
        var eventSubtype = eventName[(colon + 1)..];
        if (eventType.Length == 0)
            return ParseResult.Reject(RejectReason.InvalidEventName, "event_name has an empty type before ':'");
        if (eventSubtype.Length == 0)
            return ParseResult.Reject(RejectReason.InvalidEventName, "event_name has an empty subtype after ':'");
        if (eventType.Length > MaxEventTypeLength)
            return ParseResult.Reject(RejectReason.InvalidEventName, $"event type is longer than {MaxEventTypeLength} characters");
        if (eventType.AsSpan().ContainsAnyInRange('\0', '\u001f') || eventType.Contains('\u007f', StringComparison.Ordinal))
            return ParseResult.Reject(RejectReason.InvalidEventName, "event type contains a control character");

        if (!root.TryGetProperty("created_at", out var createdAt) || createdAt.ValueKind == JsonValueKind.Null)
            return ParseResult.Reject(RejectReason.MissingField, "created_at is missing");
        if (createdAt.ValueKind != JsonValueKind.Number)
            return ParseResult.Reject(RejectReason.WrongType, $"created_at must be a number of epoch seconds, not a {Describe(createdAt.ValueKind)}");
        // The raw text is only needed to explain a reject, so a valid record does not pay for the string.
        if (!createdAt.TryGetDecimal(out var seconds))
            seconds = createdAt.GetRawText().StartsWith('-') ? -1 : MaxCreatedAt; // beyond decimal's range either way
        if (seconds < 0)
            return ParseResult.Reject(RejectReason.InvalidCreatedAt, $"created_at {createdAt.GetRawText()} is before 1970");
        if (seconds >= MaxCreatedAt)
            return ParseResult.Reject(RejectReason.InvalidCreatedAt, $"created_at {createdAt.GetRawText()} is beyond year 9999 (milliseconds instead of seconds?)");

        var created = DateTimeOffset.UnixEpoch.AddTicks((long)decimal.Floor(seconds * TimeSpan.TicksPerSecond));
        var line = WriteLine(root, created, eventType, eventSubtype);
        return ParseResult.Valid(new ParsedEvent(
            uuid.ToString("D"), eventType, eventSubtype, DateOnly.FromDateTime(created.UtcDateTime), line));
    }

    private static bool TryGetString(JsonElement root, string name, out string value, out ParseResult reject)
    {
        value = "";
        reject = default;
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            reject = ParseResult.Reject(RejectReason.MissingField, $"{name} is missing");
            return false;
        }
        if (element.ValueKind != JsonValueKind.String)
        {
            reject = ParseResult.Reject(RejectReason.WrongType, $"{name} must be a string, not a {Describe(element.ValueKind)}");
            return false;
        }
        value = element.GetString()!;
        if (value.Length == 0)
        {
            reject = ParseResult.Reject(RejectReason.EmptyField, $"{name} is empty");
            return false;
        }
        return true;
    }

    /// <summary>The original members in their order (minus any the transform owns), then the derived ones.</summary>
    private static byte[] WriteLine(JsonElement root, DateTimeOffset created, string eventType, string eventSubtype)
    {
        var writer = ReusableJsonWriter.Start(WriterOptions, out var buffer);
        {
            writer.WriteStartObject();
            foreach (var property in root.EnumerateObject())
            {
                if (property.NameEquals(CreatedDatetimeField) || property.NameEquals(EventTypeField) || property.NameEquals(EventSubtypeField))
                    continue;
                property.WriteTo(writer);
            }
            writer.WriteString(CreatedDatetimeField, Iso8601.FormatUtcMillis(created));
            writer.WriteString(EventTypeField, eventType);
            writer.WriteString(EventSubtypeField, eventSubtype);
            writer.WriteEndObject();
            writer.Flush();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => kind.ToString(),
    };
}

using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Pipelines.Shared.Text;
using Pipelines.Shared.Buffers;

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

    // Relaxed escaping keeps non-ASCII text readable in the archive; these files are never embedded in HTML.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly SearchValues<byte> JsonWhitespace = SearchValues.Create(" \t\r\n"u8);

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    /// <param name="payload">The decoded record data.</param>
    /// <param name="lines">Where a valid event's archived line is kept (the batch's arena); without one it gets its own array.</param>
    public static ParseResult Parse(ReadOnlyMemory<byte> payload, PooledByteArena? lines = null) => Parse(payload, lines, compactScanFirst: true);

    /// <param name="compactScanFirst">
    /// False reads every payload with the reader alone: the path the compact scanner must agree with (its tests and
    /// benchmark compare the two).
    /// </param>
    internal static ParseResult Parse(ReadOnlyMemory<byte> payload, PooledByteArena? lines, bool compactScanFirst)
    {
        if (payload.Length > MaxEventBytes)
            return ParseResult.Reject(RejectReason.Oversize, $"payload is {payload.Length} bytes; the limit is {MaxEventBytes}");
        if (payload.Span.StartsWith(Utf8Bom)) payload = payload[Utf8Bom.Length..];
        var json = payload.Span;
        // Almost every payload is a library's compact ASCII JSON (so valid UTF-8, not empty), which the scanner reads
        // far faster; anything else, and so every reject, is left to the checks and the reader as before.
        if (!compactScanFirst || !CompactEventScanner.TryScan(json, out var top))
        {
            if (!Utf8.IsValid(json))
                return ParseResult.Reject(RejectReason.InvalidUtf8, "payload is not valid UTF-8");
            if (json.IndexOfAnyExcept(JsonWhitespace) < 0)
                return ParseResult.Reject(RejectReason.NotJson, "payload is empty");
            try
            {
                top = EventLineTranscoder.Scan(json);
            }
            catch (JsonException e)
            {
                return ParseResult.Reject(RejectReason.NotJson, e.Message);
            }
        }
        if (top.Truncated)
            return ParseResult.Reject(RejectReason.NotJson, $"payload ends at byte {json.Length}, before its JSON {Describe(top.Root)} is closed");
        // JSON allows "\ud800" alone, but it is no text and cannot be archived. Rejecting the record keeps it from
        // failing its batch on every delivery (reading such a string used to throw out of the handler). A bad member
        // name is found where names used to be compared, a bad value only once every other check has passed.
        if (top.UnreadableName) return UnpairedSurrogate;
        if (top.Repeated is { } repeated)
            return ParseResult.Reject(RejectReason.NotJson, $"Duplicate property '{repeated}' encountered during deserialization.");

        var result = Validate(json, in top, out var fields);
        if (result.Reason is not null) return result;

        ReadOnlySpan<byte> line;
        if (top.Canonical) line = CopyLine(json, in top, fields);
        else if (!TryTranscodeLine(json, fields, out line)) return UnpairedSurrogate;
        var archived = lines is null ? line.ToArray() : lines.Copy(line);
        return ParseResult.Valid(new ParsedEvent(
            fields.Uuid.ToString("D"), fields.EventType, fields.EventSubtype, DateOnly.FromDateTime(fields.Created.UtcDateTime), archived));
    }

    /// <summary>
    /// The line of a payload whose object is already in the writer's form: its bytes up to the closing brace, then
    /// the derived members. event_name is plain ASCII there too, so type and subtype are its bytes around the colon.
    /// </summary>
    private static ReadOnlySpan<byte> CopyLine(ReadOnlySpan<byte> json, scoped in EventTopLevel top, Fields fields)
    {
        ReusableJsonWriter.Start(WriterOptions, out var buffer); // only its buffer: the bytes are copied, not written
        var name = json.Slice(top.Name.Start, top.Name.Length);
        var colon = name.IndexOf((byte)':');
        buffer.Write(json[top.RootStart..(top.RootEnd - 1)]);
        buffer.Write(",\"created_datetime\":\""u8);
        buffer.Write(Iso8601.FormatUtcMillis(fields.Created, stackalloc byte[Iso8601.UtcMillisLength]));
        buffer.Write("\",\"event_type\":\""u8);
        buffer.Write(name[..colon]);
        buffer.Write("\",\"event_subtype\":\""u8);
        buffer.Write(name[(colon + 1)..]);
        buffer.Write("\"}"u8);
        return buffer.WrittenSpan;
    }

    /// <summary>The line written member by member (a second pass); false when a string cannot be written.</summary>
    private static bool TryTranscodeLine(ReadOnlySpan<byte> json, Fields fields, out ReadOnlySpan<byte> line)
    {
        var writer = ReusableJsonWriter.Start(WriterOptions, out var buffer);
        var top = EventLineTranscoder.Transcode(json, writer); // the same payload again: it cannot fail differently
        line = default;
        if (top.LineUnwritable) return false;
        writer.WriteString(CreatedDatetimeField, Iso8601.FormatUtcMillis(fields.Created, stackalloc byte[Iso8601.UtcMillisLength]));
        writer.WriteString(EventTypeField, fields.EventType);
        writer.WriteString(EventSubtypeField, fields.EventSubtype);
        writer.WriteEndObject();
        writer.Flush();
        line = buffer.WrittenSpan;
        return true;
    }

    private static ParseResult UnpairedSurrogate =>
        ParseResult.Reject(RejectReason.NotJson, "payload has a string with an unpaired UTF-16 surrogate escape");

    /// <summary>The checks, in the order they have always been made; a default result when the event is valid.</summary>
    private static ParseResult Validate(ReadOnlySpan<byte> json, in EventTopLevel top, out Fields fields)
    {
        fields = default;
        if (top.Root != JsonTokenType.StartObject)
            return ParseResult.Reject(RejectReason.NotAnObject, $"payload is a JSON {Describe(top.Root)}, not an object");

        if (!IsNonEmptyString(top.Uuid, "event_uuid", out var reject)) return reject;
        if (top.Uuid.Unreadable) return UnpairedSurrogate;
        if (!TryParseUuid(json, top.Uuid, out fields.Uuid))
            return ParseResult.Reject(RejectReason.InvalidUuid, "event_uuid is not a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)");
        // The nil UUID is a producer's placeholder, not an identity: deduplicating on it would merge unrelated events.
        if (fields.Uuid == Guid.Empty)
            return ParseResult.Reject(RejectReason.InvalidUuid, "event_uuid is the nil UUID");

        if (!IsNonEmptyString(top.Name, "event_name", out reject)) return reject;
        if (top.Name.Unreadable) return UnpairedSurrogate;
        var name = top.Name.Text is { } text ? EventNames.Split(text) : EventNames.Split(json.Slice(top.Name.Start, top.Name.Length));
        if (name.Type is not { } eventType || name.Subtype is not { } eventSubtype)
            return ParseResult.Reject(RejectReason.InvalidEventName, "event_name has no ':' between type and subtype");
        if (eventType.Length == 0)
            return ParseResult.Reject(RejectReason.InvalidEventName, "event_name has an empty type before ':'");
        if (eventSubtype.Length == 0)
            return ParseResult.Reject(RejectReason.InvalidEventName, "event_name has an empty subtype after ':'");
        if (eventType.Length > MaxEventTypeLength)
            return ParseResult.Reject(RejectReason.InvalidEventName, $"event type is longer than {MaxEventTypeLength} characters");
        if (eventType.AsSpan().ContainsAnyInRange('\0', '\u001f') || eventType.Contains('\u007f', StringComparison.Ordinal))
            return ParseResult.Reject(RejectReason.InvalidEventName, "event type contains a control character");
        fields.EventType = eventType;
        fields.EventSubtype = eventSubtype;

        var createdAt = top.CreatedAt;
        if (createdAt.Type is JsonTokenType.None or JsonTokenType.Null)
            return ParseResult.Reject(RejectReason.MissingField, "created_at is missing");
        if (createdAt.Type != JsonTokenType.Number)
            return ParseResult.Reject(RejectReason.WrongType, $"created_at must be a number of epoch seconds, not a {Describe(createdAt.Type)}");
        // The raw text is only needed to explain a reject, so a valid record does not pay for the string.
        var raw = json.Slice(createdAt.Start, createdAt.Length);
        var seconds = createdAt.HasDecimal ? createdAt.Decimal : raw[0] == (byte)'-' ? -1 : MaxCreatedAt; // beyond decimal's range either way
        if (seconds < 0)
            return ParseResult.Reject(RejectReason.InvalidCreatedAt, $"created_at {Encoding.UTF8.GetString(raw)} is before 1970");
        if (seconds >= MaxCreatedAt)
            return ParseResult.Reject(RejectReason.InvalidCreatedAt, $"created_at {Encoding.UTF8.GetString(raw)} is beyond year 9999 (milliseconds instead of seconds?)");
        fields.Created = DateTimeOffset.UnixEpoch.AddTicks((long)decimal.Floor(seconds * TimeSpan.TicksPerSecond));
        return default;
    }

    /// <summary>A present, non-null, non-empty string member.</summary>
    private static bool IsNonEmptyString(TopLevelMember member, string name, out ParseResult reject)
    {
        reject = default;
        if (member.Type is JsonTokenType.None or JsonTokenType.Null)
        {
            reject = ParseResult.Reject(RejectReason.MissingField, $"{name} is missing");
            return false;
        }
        if (member.Type != JsonTokenType.String)
        {
            reject = ParseResult.Reject(RejectReason.WrongType, $"{name} must be a string, not a {Describe(member.Type)}");
            return false;
        }
        // An escape always stands for at least one character, so the text is empty exactly when nothing is between the quotes.
        if (member.Length == 0)
        {
            reject = ParseResult.Reject(RejectReason.EmptyField, $"{name} is empty");
            return false;
        }
        return true;
    }

    /// <summary>Guid.TryParseExact "D" (which also allows surrounding whitespace), read from the UTF-8 without a string.</summary>
    private static bool TryParseUuid(ReadOnlySpan<byte> json, TopLevelMember member, out Guid uuid)
    {
        if (member.Text is not null || member.Length > 64)
            return Guid.TryParseExact(member.Text ?? Encoding.UTF8.GetString(json.Slice(member.Start, member.Length)), "D", out uuid);
        Span<char> chars = stackalloc char[64];
        var length = Encoding.UTF8.GetChars(json.Slice(member.Start, member.Length), chars);
        return Guid.TryParseExact(chars[..length], "D", out uuid);
    }

    private struct Fields
    {
        public Guid Uuid;
        public string EventType;
        public string EventSubtype;
        public DateTimeOffset Created;
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "object",
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}

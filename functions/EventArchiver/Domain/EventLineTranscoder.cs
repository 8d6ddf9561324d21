using System.Buffers;
using System.Text.Json;

namespace Pipelines.Events.Domain;

/// <summary>
/// A <see cref="Utf8JsonReader"/> pass over an event payload that (1) validates it exactly as
/// <c>JsonDocument.Parse</c> with depth 64 and no duplicate member names did, (2) notes where the members the parser
/// checks are and (3), when given a writer, copies the top-level members into the archived line in their order,
/// minus the ones the parser derives, written the way <c>JsonElement.WriteTo</c> wrote them (names and strings
/// unescaped then re-escaped by the writer, numbers as sent). Building a JsonDocument and then writing the line from
/// it walked every event twice and was the largest part of the handler's time.
/// <see cref="Scan"/> also tells whether the payload's object is already in the form the writer produces (no
/// whitespace, ASCII strings without escapes, no derived members): then its bytes are the line's start as they are,
/// and <see cref="Transcode"/> (a second pass) is only needed for the other payloads.
/// </summary>
internal static class EventLineTranscoder
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    /// <param name="json">The payload: valid UTF-8, not empty or only whitespace.</param>
    /// <exception cref="JsonException">The payload is not one JSON value, or nests deeper than 64.</exception>
    public static EventTopLevel Scan(ReadOnlySpan<byte> json)
    {
        // Read as a block that more data could follow, so a payload cut short ends the loop instead of throwing: a
        // JsonException (its message looked up in resources, its stack captured) cost more than reading ten events.
        var top = Read(json, null, isFinalBlock: false);
        if (top.Root is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            top.Truncated = !top.RootClosed;
            return top;
        }
        // A bare value (a number waits for a delimiter that never comes) is read again as the whole payload.
        return Read(json, null, isFinalBlock: true);
    }

    /// <summary>Like <see cref="Scan"/>, and writes the start of the line object and the copied members to <paramref name="line"/>.</summary>
    /// <exception cref="JsonException">The payload is not one JSON value, or nests deeper than 64.</exception>
    public static EventTopLevel Transcode(ReadOnlySpan<byte> json, Utf8JsonWriter line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return Read(json, line, isFinalBlock: true);
    }

    private static EventTopLevel Read(ReadOnlySpan<byte> json, Utf8JsonWriter? line, bool isFinalBlock)
    {
        var reader = new Utf8JsonReader(json, isFinalBlock, new JsonReaderState(ReaderOptions));
        var names = MemberNames.ForThisThread();
        var top = new EventTopLevel();
        var capture = Captured.None;
        bool skipNext = false, skippingContainer = false, writing = line is not null;
        var canonical = true;
        long previousEnd = 0;
        Span<byte> small = stackalloc byte[256];
        while (reader.Read())
        {
            var token = reader.TokenType;
            var depth = reader.CurrentDepth;
            if (depth == 0 && token is not (JsonTokenType.EndObject or JsonTokenType.EndArray))
            {
                top.Root = token;
                top.RootStart = checked((int)reader.TokenStartIndex);
                writing &= token == JsonTokenType.StartObject; // anything else is rejected once it is known to be JSON
            }
            else if (canonical)
            {
                canonical = IsCanonical(json, ref reader, previousEnd);
            }
            previousEnd = reader.BytesConsumed;

            // The value of a derived member (created_datetime, event_type, event_subtype) is not copied.
            var skip = skipNext || skippingContainer;
            if (skipNext && token is JsonTokenType.StartObject or JsonTokenType.StartArray) skippingContainer = true;
            skipNext = false;
            var write = writing && !skip;

            if (capture != Captured.None && token != JsonTokenType.PropertyName)
            {
                Capture(ref reader, ref capture == Captured.Uuid ? ref top.Uuid : ref capture == Captured.Name ? ref top.Name : ref top.CreatedAt);
                capture = Captured.None;
            }

            switch (token)
            {
                case JsonTokenType.PropertyName:
                    names.Add(ref reader);
                    if (depth == 1)
                    {
                        capture = Classify(ref reader);
                        if (capture == Captured.Derived)
                        {
                            capture = Captured.None;
                            skipNext = true;
                            canonical = false; // the line leaves it out, so the payload's bytes are not the line's
                            break;
                        }
                    }
                    if (write) WriteText(ref reader, line!, small, isName: true, ref writing, ref top);
                    break;
                case JsonTokenType.StartObject:
                    names.OpenObject();
                    if (write) line!.WriteStartObject();
                    break;
                case JsonTokenType.EndObject:
                    top.Repeated ??= names.CloseObject(json);
                    if (depth == 0)
                    {
                        top.RootEnd = checked((int)reader.BytesConsumed);
                        top.RootClosed = true;
                    }
                    if (write && depth > 0) line!.WriteEndObject(); // the parser appends the derived members, then ends the line
                    break;
                case JsonTokenType.StartArray:
                    if (write) line!.WriteStartArray();
                    break;
                case JsonTokenType.EndArray:
                    if (depth == 0) top.RootClosed = true;
                    if (write) line!.WriteEndArray();
                    break;
                case JsonTokenType.String:
                    if (write) WriteText(ref reader, line!, small, isName: false, ref writing, ref top);
                    break;
                case JsonTokenType.Number:
                    if (write) line!.WriteRawValue(reader.ValueSpan, skipInputValidation: true); // as sent, like JsonElement.WriteTo
                    break;
                case JsonTokenType.True:
                case JsonTokenType.False:
                    if (write) line!.WriteBooleanValue(token == JsonTokenType.True);
                    break;
                case JsonTokenType.Null:
                    if (write) line!.WriteNullValue();
                    break;
            }

            if (skippingContainer && depth == 1 && token is JsonTokenType.EndObject or JsonTokenType.EndArray) skippingContainer = false;
        }
        top.UnreadableName = names.SawUnreadableName;
        top.Canonical = canonical && top.Root == JsonTokenType.StartObject;
        return top;
    }

    /// <summary>
    /// Whether the current token is written exactly as the writer would write it: right after the previous token or
    /// its comma (no whitespace), and for names and strings, ASCII without escapes (which the writer never escapes
    /// differently; 0x7F and above are left to the writer).
    /// </summary>
    private static bool IsCanonical(ReadOnlySpan<byte> json, ref Utf8JsonReader reader, long previousEnd)
    {
        var gap = reader.TokenStartIndex - previousEnd;
        if (gap != 0 && !(gap == 1 && json[(int)previousEnd] == (byte)',')) return false;
        return reader.TokenType switch
        {
            // A name token runs to its colon: "name" followed directly by ':'.
            JsonTokenType.PropertyName => reader.BytesConsumed - reader.TokenStartIndex == reader.ValueSpan.Length + 3 && IsPlainAscii(ref reader),
            JsonTokenType.String => IsPlainAscii(ref reader),
            _ => true,
        };
    }

    private static bool IsPlainAscii(ref Utf8JsonReader reader) =>
        !reader.ValueIsEscaped && reader.ValueSpan.IndexOfAnyInRange((byte)0x7F, (byte)0xFF) < 0;

    private static Captured Classify(ref Utf8JsonReader reader)
    {
        // Most members are none of these: an unescaped name of another length is ruled out without comparing text.
        if (!reader.ValueIsEscaped && reader.ValueSpan.Length is not (10 or 13 or 16)) return Captured.None;
        try
        {
            return ClassifyText(ref reader);
        }
        catch (InvalidOperationException)
        {
            // An escaped name with an unpaired surrogate cannot be compared; MemberNames has marked it unreadable,
            // and the payload is rejected for it.
            return Captured.None;
        }
    }

    private static Captured ClassifyText(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("event_uuid"u8)) return Captured.Uuid;
        if (reader.ValueTextEquals("event_name"u8)) return Captured.Name;
        if (reader.ValueTextEquals("created_at"u8)) return Captured.CreatedAt;
        if (reader.ValueTextEquals("created_datetime"u8) || reader.ValueTextEquals("event_type"u8) || reader.ValueTextEquals("event_subtype"u8))
            return Captured.Derived;
        return Captured.None;
    }

    private static void Capture(ref Utf8JsonReader reader, ref TopLevelMember member)
    {
        member.Type = reader.TokenType;
        member.Start = checked((int)reader.TokenStartIndex) + (reader.TokenType == JsonTokenType.String ? 1 : 0);
        member.Length = reader.TokenType is JsonTokenType.String or JsonTokenType.Number ? reader.ValueSpan.Length : 0;
        member.Escaped = reader.TokenType == JsonTokenType.String && reader.ValueIsEscaped;
        if (member.Escaped)
        {
            try
            {
                member.Text = reader.GetString();
            }
            catch (InvalidOperationException)
            {
                member.Unreadable = true;
            }
        }
        if (reader.TokenType == JsonTokenType.Number) member.HasDecimal = reader.TryGetDecimal(out member.Decimal);
    }

    /// <summary>A name or string, unescaped and written back; a string that cannot be unescaped stops the line.</summary>
    private static void WriteText(ref Utf8JsonReader reader, Utf8JsonWriter line, scoped Span<byte> small, bool isName, ref bool writing, ref EventTopLevel top)
    {
        if (!reader.ValueIsEscaped)
        {
            if (isName) line.WritePropertyName(reader.ValueSpan);
            else line.WriteStringValue(reader.ValueSpan);
            return;
        }
        byte[]? rented = null;
        var buffer = reader.ValueSpan.Length <= small.Length ? small : (rented = ArrayPool<byte>.Shared.Rent(reader.ValueSpan.Length));
        try
        {
            var length = reader.CopyString(buffer);
            if (isName) line.WritePropertyName(buffer[..length]);
            else line.WriteStringValue(buffer[..length]);
        }
        catch (InvalidOperationException)
        {
            // An unpaired surrogate escape: the line cannot be written, but the payload is still read to the end so
            // that a problem found before writing used to be reached (not JSON, a missing field) is the one reported.
            top.LineUnwritable = true;
            writing = false;
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }

    internal enum Captured
    {
        None,
        Uuid,
        Name,
        CreatedAt,
        Derived,
    }
}

using System.Buffers.Binary;
using System.Buffers.Text;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Text.Json;
using Pipelines.Shared.Text;

namespace Pipelines.Events.Domain;

/// <summary>
/// A byte-level reader for the shape almost every event has: one JSON object written by a JSON library, compact
/// (no whitespace), ASCII strings without escapes, no repeated or derived members, shallow. For such a payload it
/// gives exactly the <see cref="EventTopLevel"/> that <see cref="EventLineTranscoder.Scan"/> gives, in a fraction of
/// the reader's time (the reader's per-token bookkeeping dominated parsing). It gives up on anything else, however
/// valid, so every reject and every unusual payload is still decided by the reader path, with its messages.
/// </summary>
internal static class CompactEventScanner
{
    /// <summary>Deepest nesting handled (the root object is 1); deeper payloads go to the reader (limit 64).</summary>
    public const int MaxDepth = 16;

    /// <summary>Most member names held at once by the open objects; more go to the reader.</summary>
    public const int MaxOpenNames = 64;

    /// <summary>Longest payload handled (events are a few hundred bytes; its quote map is on the stack); longer ones go to the reader.</summary>
    public const int MaxBytes = 16 * 1024;

    /// <summary>
    /// True with the payload's top level when it has the compact shape; false (and nothing to use) otherwise,
    /// whether or not it is valid JSON.
    /// </summary>
    public static bool TryScan(ReadOnlySpan<byte> json, out EventTopLevel top)
    {
        top = default;
        if (json.Length < 2 || json.Length > MaxBytes || json[0] != '{') return false;
        Span<ulong> quotes = stackalloc ulong[(json.Length + 63) / 64];
        if (!TryMapQuotes(json, quotes)) return false;

        var names = CompactMemberNames.ForThisThread();
        ulong arrays = 0; // bit d: the container at depth d is an array
        var depth = 1;
        names.Open(depth);
        var i = 1;
        var captured = EventLineTranscoder.Captured.None;
        if (json[i] == '}')
        {
            i++;
            goto ContainerClosed;
        }

    Member: // at the opening quote of a member name
        {
            if ((uint)i >= (uint)json.Length || json[i] != '"') return false;
            var nameStart = i + 1;
            var nameEnd = NextQuote(quotes, nameStart);
            if (nameEnd < 0 || nameEnd + 1 >= json.Length || json[nameEnd + 1] != ':') return false;
            var name = json[nameStart..nameEnd];
            if (!names.Add(json, depth, nameStart, name)) return false;
            i = nameEnd + 2;
            if (depth == 1)
            {
                captured = Classify(name);
                if (captured == EventLineTranscoder.Captured.Derived) return false; // the line leaves it out: not a copy
            }
        }

    Value: // at the first byte of a value
        {
            if ((uint)i >= (uint)json.Length) return false;
            var valueStart = i;
            JsonTokenType type;
            var hasExponent = false;
            switch (json[i])
            {
                case (byte)'"':
                    var end = NextQuote(quotes, i + 1);
                    if (end < 0) return false;
                    i = end + 1;
                    type = JsonTokenType.String;
                    break;
                case (byte)'{' or (byte)'[':
                    if (depth == MaxDepth) return false;
                    depth++;
                    var isArray = json[i] == '[';
                    if (captured != EventLineTranscoder.Captured.None)
                    {
                        Capture(ref top, captured, isArray ? JsonTokenType.StartArray : JsonTokenType.StartObject, json, valueStart, valueStart, false);
                        captured = EventLineTranscoder.Captured.None;
                    }
                    i++;
                    if (isArray)
                    {
                        arrays |= 1UL << depth;
                        if (i < json.Length && json[i] == ']')
                        {
                            i++;
                            goto ContainerClosed;
                        }
                        goto Value;
                    }
                    arrays &= ~(1UL << depth);
                    names.Open(depth);
                    if (i < json.Length && json[i] == '}')
                    {
                        i++;
                        goto ContainerClosed;
                    }
                    goto Member;
                case (byte)'t':
                    if (!json[i..].StartsWith("true"u8)) return false;
                    i += 4;
                    type = JsonTokenType.True;
                    break;
                case (byte)'f':
                    if (!json[i..].StartsWith("false"u8)) return false;
                    i += 5;
                    type = JsonTokenType.False;
                    break;
                case (byte)'n':
                    if (!json[i..].StartsWith("null"u8)) return false;
                    i += 4;
                    type = JsonTokenType.Null;
                    break;
                default:
                    i = JsonNumberText.End(json, i, out hasExponent);
                    if (i < 0) return false;
                    type = JsonTokenType.Number;
                    break;
            }
            if (captured != EventLineTranscoder.Captured.None)
            {
                Capture(ref top, captured, type, json, valueStart, i, hasExponent);
                captured = EventLineTranscoder.Captured.None;
            }
        }

    AfterValue: // just past a value: a comma, or the end of its container
        {
            if ((uint)i >= (uint)json.Length) return false;
            var next = json[i++];
            var inArray = (arrays & (1UL << depth)) != 0;
            if (next == ',')
            {
                if (inArray) goto Value;
                goto Member;
            }
            if (next != (inArray ? ']' : '}')) return false;
        }

    ContainerClosed: // just past the closing bracket of the container at depth
        if ((arrays & (1UL << depth)) == 0) names.Close(depth);
        depth--;
        if (depth > 0) goto AfterValue;

        // Only the root object, with nothing after it.
        if (i != json.Length) return false;
        top.Root = JsonTokenType.StartObject;
        top.RootStart = 0;
        top.RootEnd = json.Length;
        top.RootClosed = true;
        top.Canonical = true;
        return true;
    }

    /// <summary>
    /// One vectorised pass over the payload: false when it holds a byte the shape never has (a control byte, so any
    /// whitespace but a space, a backslash, so any escape, or non-ASCII); otherwise bit i of
    /// <paramref name="quotes"/> tells whether byte i is a quote. With no escapes every quote opens or closes a
    /// string, so a string's end is found from the bits, not by reading its bytes. (A space is left to the grammar,
    /// which refuses it outside strings.)
    /// </summary>
    private static bool TryMapQuotes(ReadOnlySpan<byte> json, Span<ulong> quotes)
    {
        var at = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; at + Vector256<byte>.Count <= json.Length; at += Vector256<byte>.Count)
            {
                var block = Vector256.Create(json.Slice(at, Vector256<byte>.Count));
                var refused = Vector256.LessThan(block, Vector256.Create((byte)0x20))
                    | Vector256.GreaterThan(block, Vector256.Create((byte)0x7E))
                    | Vector256.Equals(block, Vector256.Create((byte)'\\'));
                if (refused != Vector256<byte>.Zero) return false;
                quotes[at >> 6] |= (ulong)Vector256.Equals(block, Vector256.Create((byte)'"')).ExtractMostSignificantBits() << (at & 63);
            }
        }
        for (; at + Vector128<byte>.Count <= json.Length; at += Vector128<byte>.Count)
        {
            if (!TryMapQuotes(Vector128.Create(json.Slice(at, Vector128<byte>.Count)), at, quotes)) return false;
        }
        if (at == json.Length) return true;
        Span<byte> tail = stackalloc byte[Vector128<byte>.Count];
        tail.Fill((byte)' '); // padding that is neither refused nor a quote
        json[at..].CopyTo(tail);
        return TryMapQuotes(Vector128.Create<byte>(tail), at, quotes);
    }

    private static bool TryMapQuotes(Vector128<byte> block, int at, Span<ulong> quotes)
    {
        var refused = Vector128.LessThan(block, Vector128.Create((byte)0x20))
            | Vector128.GreaterThan(block, Vector128.Create((byte)0x7E))
            | Vector128.Equals(block, Vector128.Create((byte)'\\'));
        if (refused != Vector128<byte>.Zero) return false;
        quotes[at >> 6] |= (ulong)Vector128.Equals(block, Vector128.Create((byte)'"')).ExtractMostSignificantBits() << (at & 63);
        return true;
    }

    /// <summary>The first quote at or after <paramref name="start"/>; -1 when there is none.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int NextQuote(ReadOnlySpan<ulong> quotes, int start)
    {
        var index = start >> 6;
        if ((uint)index >= (uint)quotes.Length) return -1;
        var word = quotes[index] & (ulong.MaxValue << (start & 63));
        while (word == 0)
        {
            if (++index == quotes.Length) return -1;
            word = quotes[index];
        }
        return (index << 6) + BitOperations.TrailingZeroCount(word);
    }

    /// <summary>Which of the members the parser checks or derives a top-level name is (case-sensitive, as the reader compares).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static EventLineTranscoder.Captured Classify(ReadOnlySpan<byte> name)
    {
        switch (name.Length)
        {
            case 10:
                // Four names of ten bytes: compared as a ulong and a ushort (little-endian), not byte by byte.
                return (BinaryPrimitives.ReadUInt64LittleEndian(name), BinaryPrimitives.ReadUInt16LittleEndian(name[8..])) switch
                {
                    (0x75755f746e657665, 0x6469) => EventLineTranscoder.Captured.Uuid, // "event_uu" "id"
                    (0x616e5f746e657665, 0x656d) => EventLineTranscoder.Captured.Name, // "event_na" "me"
                    (0x5f64657461657263, 0x7461) => EventLineTranscoder.Captured.CreatedAt, // "created_" "at"
                    (0x79745f746e657665, 0x6570) => EventLineTranscoder.Captured.Derived, // "event_ty" "pe"
                    _ => EventLineTranscoder.Captured.None,
                };
            case 13:
                return name.SequenceEqual("event_subtype"u8) ? EventLineTranscoder.Captured.Derived : EventLineTranscoder.Captured.None;
            case 16:
                return name.SequenceEqual("created_datetime"u8) ? EventLineTranscoder.Captured.Derived : EventLineTranscoder.Captured.None;
            default:
                return EventLineTranscoder.Captured.None;
        }
    }

    /// <summary>Notes a top-level member's value as EventLineTranscoder's Capture does from the reader.</summary>
    private static void Capture(ref EventTopLevel top, EventLineTranscoder.Captured captured, JsonTokenType type,
        ReadOnlySpan<byte> json, int start, int end, bool hasExponent)
    {
        ref var member = ref captured == EventLineTranscoder.Captured.Uuid ? ref top.Uuid
            : ref captured == EventLineTranscoder.Captured.Name ? ref top.Name : ref top.CreatedAt;
        member.Type = type;
        // A string's text is inside its quotes; containers and literals have no length.
        member.Start = type == JsonTokenType.String ? start + 1 : start;
        member.Length = type switch
        {
            JsonTokenType.String => end - start - 2,
            JsonTokenType.Number => end - start,
            _ => 0,
        };
        if (type == JsonTokenType.Number)
        {
            // What Utf8JsonReader.TryGetDecimal does: the whole text, in the scientific format when it has an
            // exponent (the reader chooses the format so, and the scanner copies the choice).
            var text = json[start..end];
            if (!hasExponent && TryPlainDecimal(text, out member.Decimal))
            {
                member.HasDecimal = true;
                return;
            }
            member.HasDecimal = Utf8Parser.TryParse(text, out decimal value, out var consumed, hasExponent ? 'e' : default)
                && consumed == text.Length;
            member.Decimal = member.HasDecimal ? value : 0;
        }
    }

    /// <summary>
    /// The decimal Utf8Parser gives for a number without exponent of at most 18 digits that is not zero: its digits
    /// as the integer, the fraction's digit count as the scale (so 1.50 keeps its scale 2). It is the common
    /// created_at and costs a fraction of the general parse; anything else goes to Utf8Parser.
    /// </summary>
    private static bool TryPlainDecimal(ReadOnlySpan<byte> text, out decimal value)
    {
        value = 0;
        var negative = text[0] == '-';
        ulong digits = 0;
        var count = 0;
        var scale = 0;
        for (var i = negative ? 1 : 0; i < text.Length; i++)
        {
            var b = text[i];
            if (b == '.')
            {
                scale = text.Length - i - 1;
                continue;
            }
            digits = digits * 10 + (uint)(b - '0');
            count++;
        }
        if (count > 18 || digits == 0) return false;
        value = new decimal((int)(uint)digits, (int)(uint)(digits >> 32), 0, negative, (byte)scale);
        return true;
    }
}

using System.Buffers.Binary;
using System.Text.Json;

namespace Pipelines.Orders.Cdc.Domain;

/// <summary>
/// Transcodes DynamoDB typed attribute JSON read from the stream event's bytes ({"S":"x"}, {"M":{...}}) straight to the
/// plain JSON <see cref="AttributeValueJson"/> writes from the object model, byte for byte, without building that model.
/// With no writer it only checks.
/// </summary>
/// <remarks>
/// It takes only what it can convert exactly and answers false for anything else: a null or untyped value, two type
/// members, a member of an unexpected JSON type, a duplicate, escaped or case-variant name, a number DynamoNumber would
/// rewrite or refuse. The caller then hands the whole stream record to the object-model path, which rejects, rewrites or
/// fails it exactly as it always did. Names and strings are written from their UTF-8 bytes (the caller has checked the
/// whole event is UTF-8): the writer escapes those exactly as it escapes the same text given as a string.
/// </remarks>
internal sealed class AttributeTranscoder
{
    private static readonly string[] MemberNames = ["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"];

    // The names of every map being read, innermost map last; a map with many names uses a set instead.
    private NameKey[] _names = new NameKey[64];
    private int _nameCount;

    /// <summary>
    /// Reads an item image (reader on its StartObject, left on its EndObject) and writes its attributes, not the braces,
    /// leaving out those named like the CDC record's own fields. <paramref name="orderId"/> is where the orderid
    /// attribute's S string token is in the reader's input, or (-1, 0) when there is none.
    /// </summary>
    public bool Image(ref Utf8JsonReader reader, Utf8JsonWriter? writer, out (int Start, int Length) orderId) =>
        ReadMap(ref reader, writer, image: true, out orderId);

    private bool ReadMap(ref Utf8JsonReader reader, Utf8JsonWriter? writer, bool image, out (int Start, int Length) orderId)
    {
        orderId = (-1, 0);
        if (!image) writer?.WriteStartObject();
        var level = _nameCount;
        HashSet<NameKey>? manyNames = null;
        try
        {
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                // The object model unescapes names and keeps the last of duplicates, in the first one's place.
                if (reader.ValueIsEscaped) return false;
                var name = reader.ValueSpan;
                if (!AddName(name, level, ref manyNames)) return false;

                var target = image && CdcFields.IsReserved(name) ? null : writer;
                var isOrderId = image && name.SequenceEqual("orderid"u8);
                target?.WritePropertyName(name);
                reader.Read();
                if (!Value(ref reader, target, out var text)) return false;
                if (isOrderId) orderId = text;
            }
        }
        finally
        {
            _nameCount = level;
        }
        if (!image) writer?.WriteEndObject();
        return true;
    }

    /// <summary>One typed value (reader on its StartObject, left on its EndObject); <paramref name="text"/> locates an S string token.</summary>
    private bool Value(ref Utf8JsonReader reader, Utf8JsonWriter? writer, out (int Start, int Length) text)
    {
        text = (-1, 0);
        if (reader.TokenType != JsonTokenType.StartObject) return false;
        var typed = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var member = MemberOf(ref reader);
            reader.Read();
            if (member == Member.Other)
            {
                reader.Skip(); // the object model ignores unknown members
                continue;
            }
            if (member == Member.Unsure || typed) return false;
            typed = true;
            var ok = member switch
            {
                Member.S or Member.B => StringValue(ref reader, writer, out text),
                Member.N => Number(ref reader, writer),
                Member.Bool => Boolean(ref reader, writer),
                Member.Null => Null(ref reader, writer),
                Member.M => reader.TokenType == JsonTokenType.StartObject && ReadMap(ref reader, writer, image: false, out _),
                Member.L => List(ref reader, writer),
                Member.SS or Member.BS => Set(ref reader, writer, numbers: false),
                _ => Set(ref reader, writer, numbers: true),
            };
            if (!ok) return false;
            if (member != Member.S) text = (-1, 0);
        }
        return typed;
    }

    private bool List(ref Utf8JsonReader reader, Utf8JsonWriter? writer)
    {
        if (reader.TokenType != JsonTokenType.StartArray) return false;
        writer?.WriteStartArray();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (!Value(ref reader, writer, out _)) return false;
        }
        writer?.WriteEndArray();
        return true;
    }

    private static bool Set(ref Utf8JsonReader reader, Utf8JsonWriter? writer, bool numbers)
    {
        if (reader.TokenType != JsonTokenType.StartArray) return false;
        writer?.WriteStartArray();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var ok = numbers ? Number(ref reader, writer) : StringValue(ref reader, writer, out _);
            if (!ok) return false;
        }
        writer?.WriteEndArray();
        return true;
    }

    private static bool StringValue(ref Utf8JsonReader reader, Utf8JsonWriter? writer, out (int Start, int Length) token)
    {
        token = (-1, 0);
        if (reader.TokenType != JsonTokenType.String) return false;
        token = ((int)reader.TokenStartIndex, (int)(reader.BytesConsumed - reader.TokenStartIndex));
        if (reader.ValueIsEscaped)
        {
            // Rare: unescape as the object model does (GetString throws on invalid text, as it did there).
            var text = reader.GetString();
            writer?.WriteStringValue(text);
            return true;
        }
        writer?.WriteStringValue(reader.ValueSpan);
        return true;
    }

    private static bool Number(ref Utf8JsonReader reader, Utf8JsonWriter? writer)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped) return false;
        var text = reader.ValueSpan;
        if (!DynamoNumber.IsJsonNumber(text)) return false;
        // Raw text, not double/decimal: keeps 19.99 and 38-digit integers exactly as DynamoDB stored them.
        writer?.WriteRawValue(text, skipInputValidation: true);
        return true;
    }

    private static bool Boolean(ref Utf8JsonReader reader, Utf8JsonWriter? writer)
    {
        if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False)) return false;
        writer?.WriteBooleanValue(reader.TokenType == JsonTokenType.True);
        return true;
    }

    /// <summary>The object model writes null for any NULL member that is not JSON null itself, false included.</summary>
    private static bool Null(ref Utf8JsonReader reader, Utf8JsonWriter? writer)
    {
        if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False)) return false;
        writer?.WriteNullValue();
        return true;
    }

    /// <summary>False when the name may have been seen before in this map: the caller then takes the exact path.</summary>
    private bool AddName(ReadOnlySpan<byte> name, int level, ref HashSet<NameKey>? manyNames)
    {
        var key = NameKey.Of(name);
        if (manyNames is not null) return manyNames.Add(key);

        var names = _names.AsSpan(level, _nameCount - level);
        if (names.Contains(key)) return false;
        if (names.Length >= 32)
        {
            // Linear search is cheapest for ordinary items; a wide map switches to a set.
            manyNames = [.. names, key];
            return true;
        }
        if (_nameCount == _names.Length) Array.Resize(ref _names, _names.Length * 2);
        _names[_nameCount++] = key;
        return true;
    }

    /// <summary>
    /// A name's length and first and last 8 bytes: exact for names of up to 16 bytes. Two longer names that share all
    /// three only send their record down the object-model path.
    /// </summary>
    private readonly record struct NameKey(ulong Head, ulong Tail, int Length)
    {
        public static NameKey Of(ReadOnlySpan<byte> name)
        {
            if (name.Length >= sizeof(ulong))
                return new NameKey(BinaryPrimitives.ReadUInt64LittleEndian(name), BinaryPrimitives.ReadUInt64LittleEndian(name[^sizeof(ulong)..]), name.Length);
            ulong head = 0;
            for (var i = 0; i < name.Length; i++) head |= (ulong)name[i] << (8 * i);
            return new NameKey(head, 0, name.Length);
        }

        public bool Equals(NameKey other) => Head == other.Head && Tail == other.Tail && Length == other.Length;

        public override int GetHashCode() => HashCode.Combine(Head, Tail, Length);
    }

    private enum Member { Other, Unsure, S, N, B, Bool, Null, M, L, SS, NS, BS }

    private static Member MemberOf(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped) return Member.Unsure;
        var name = reader.ValueSpan;
        var member = name.Length switch
        {
            1 => name[0] switch
            {
                (byte)'S' => Member.S,
                (byte)'N' => Member.N,
                (byte)'B' => Member.B,
                (byte)'M' => Member.M,
                (byte)'L' => Member.L,
                _ => Member.Other,
            },
            2 when name[1] == 'S' => name[0] switch
            {
                (byte)'S' => Member.SS,
                (byte)'N' => Member.NS,
                (byte)'B' => Member.BS,
                _ => Member.Other,
            },
            4 when name.SequenceEqual("BOOL"u8) => Member.Bool,
            4 when name.SequenceEqual("NULL"u8) => Member.Null,
            _ => Member.Other,
        };
        return member == Member.Other && JsonNames.MightMatch(name, MemberNames) ? Member.Unsure : member;
    }
}

using System.Buffers;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Text.Json;
using System.Text.Unicode;

namespace Pipelines.Catalog.Domain;

/// <summary>
/// The byte scanner for lines of the usual shape: a JSON object without escapes or comments, nesting at most
/// <see cref="MaxScanDepth"/> deep, whose required fields are non-blank strings. It yields the same fields, ids and
/// values the reader would in about two thirds of the time, and gives up (returns false) at the first thing outside
/// that shape, so every rejection and every unusual line is still decided by the <see cref="Utf8JsonReader"/> path.
/// </summary>
internal sealed partial class CatalogLineParser
{
    // Well inside the reader's own limit (64), so a line the scanner accepts is never too deep for the reader.
    private const int MaxScanDepth = 32;

    /// <summary>Reads <paramref name="line"/> (valid UTF-8) if it has the usual shape; false leaves it to the reader.</summary>
    private bool TryScanCommonShape(ReadOnlySpan<byte> line)
    {
        var i = SkipWhitespace(line, 0);
        if (i == line.Length || line[i] != (byte)'{') return false;
        var position = 0;
        while (true)
        {
            i = SkipWhitespace(line, i + 1);
            if (i == line.Length || line[i] != (byte)'"') return false;
            var nameStart = i + 1;
            var nameEnd = PlainStringEnd(line, nameStart);
            if (nameEnd < 0) return false;
            i = SkipWhitespace(line, nameEnd + 1);
            if (i == line.Length || line[i] != (byte)':') return false;
            // Interned only once its ':' is seen, as the reader does: a name it fails on is never added.
            var nameId = InternRawName(line[nameStart..nameEnd], position++);
            var start = SkipWhitespace(line, i + 1);
            var end = ValueEnd(line, start, 1);
            if (end < 0 || !TakeWellKnown(nameId, line, start, end)) return false;
            // As on the reader path: our own lineage fields are recomputed on output, never taken from a partner.
            if (!IsOutputOnly(nameId)) AddField(new FieldToken(nameId, start, end - start, line[start] == (byte)'n'));
            i = SkipWhitespace(line, end);
            if (i == line.Length) return false;
            if (line[i] == (byte)'}') break;
            if (line[i] != (byte)',') return false;
        }
        return SkipWhitespace(line, i + 1) == line.Length && PartnerId.Length != 0 && _accommodationIdLength != 0 && ContentType.Length != 0;
    }

    /// <summary>Takes the value of a field the consolidator reads; false when it is anything but a usable plain value.</summary>
    private bool TakeWellKnown(int nameId, ReadOnlySpan<byte> line, int start, int end)
    {
        if (nameId == _updatedAtName)
        {
            UpdatedAtTicks = line[start] == (byte)'"' ? TimestampTicks(line[start..end]) : long.MinValue;
            return true;
        }
        var isPartner = nameId == _partnerIdName;
        if (!isPartner && nameId != _contentTypeName && nameId != _accommodationIdName) return true;
        // A required field that is not a plain string is a rejection: the reader words it.
        if (line[start] != (byte)'"') return false;
        var raw = line[(start + 1)..(end - 1)];
        if (nameId == _accommodationIdName) return TakeAccommodationId(raw);
        var value = _repeatedValues.Intern(raw);
        if (string.IsNullOrWhiteSpace(value)) return false;
        if (isPartner) PartnerId = value;
        else ContentType = value;
        return true;
    }

    private bool TakeAccommodationId(ReadOnlySpan<byte> raw)
    {
        _accommodationIdLength = 0;
        // UTF-8 never needs more chars than it has bytes; the line was checked to be valid UTF-8, so this cannot fail.
        if (_accommodationId.Length < raw.Length) _accommodationId = new char[Math.Max(raw.Length, _accommodationId.Length * 2)];
        var status = Utf8.ToUtf16(raw, _accommodationId, out _, out var written);
        if (status != OperationStatus.Done || _accommodationId.AsSpan(0, written).IsWhiteSpace()) return false;
        _accommodationIdLength = written;
        return true;
    }

    /// <summary>What the reader's <c>TryGetDateTimeOffset</c> gives for the quoted string <paramref name="quoted"/>, as UTC ticks.</summary>
    internal static long TimestampTicks(ReadOnlySpan<byte> quoted)
    {
        if (TryPlainUtcSeconds(quoted[1..^1], out var ticks)) return ticks;
        var reader = new Utf8JsonReader(quoted);
        reader.Read();
        return reader.TryGetDateTimeOffset(out var at) ? at.UtcTicks : long.MinValue;
    }

    /// <summary>
    /// The common form <c>yyyy-MM-ddTHH:mm:ssZ</c> with every part in range; any other text (offsets, fractions,
    /// out-of-range parts) goes to the reader's ISO 8601 parser, which alone decides what else is a time.
    /// </summary>
    private static bool TryPlainUtcSeconds(ReadOnlySpan<byte> s, out long ticks)
    {
        ticks = 0;
        if (s.Length != 20 || s[4] != (byte)'-' || s[7] != (byte)'-' || s[10] != (byte)'T' || s[13] != (byte)':' || s[16] != (byte)':' || s[19] != (byte)'Z')
            return false;
        if (!TryDigits(s[..4], out var year) || !TryDigits(s.Slice(5, 2), out var month) || !TryDigits(s.Slice(8, 2), out var day) ||
            !TryDigits(s.Slice(11, 2), out var hour) || !TryDigits(s.Slice(14, 2), out var minute) || !TryDigits(s.Slice(17, 2), out var second))
            return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
            return false;
        ticks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).Ticks;
        return true;
    }

    private static bool TryDigits(ReadOnlySpan<byte> s, out int value)
    {
        value = 0;
        foreach (var b in s)
        {
            var digit = (uint)(b - '0');
            if (digit > 9) return false;
            value = value * 10 + (int)digit;
        }
        return true;
    }

    /// <summary>Where the value starting at <paramref name="i"/> ends (one past it), or -1 when it is not of the usual shape.</summary>
    private static int ValueEnd(ReadOnlySpan<byte> line, int i, int depth)
    {
        if (i == line.Length) return -1;
        switch (line[i])
        {
            case (byte)'"':
                var close = PlainStringEnd(line, i + 1);
                return close < 0 ? -1 : close + 1;
            case (byte)'{':
                return depth < MaxScanDepth ? ObjectEnd(line, i, depth + 1) : -1;
            case (byte)'[':
                return depth < MaxScanDepth ? ArrayEnd(line, i, depth + 1) : -1;
            case (byte)'t':
                return LiteralEnd(line, i, "true"u8);
            case (byte)'f':
                return LiteralEnd(line, i, "false"u8);
            case (byte)'n':
                return LiteralEnd(line, i, "null"u8);
            default:
                return NumberEnd(line, i);
        }
    }

    private static int ObjectEnd(ReadOnlySpan<byte> line, int i, int depth)
    {
        i = SkipWhitespace(line, i + 1);
        if (i < line.Length && line[i] == (byte)'}') return i + 1;
        while (true)
        {
            if (i == line.Length || line[i] != (byte)'"') return -1;
            var nameEnd = PlainStringEnd(line, i + 1);
            if (nameEnd < 0) return -1;
            i = SkipWhitespace(line, nameEnd + 1);
            if (i == line.Length || line[i] != (byte)':') return -1;
            i = ValueEnd(line, SkipWhitespace(line, i + 1), depth);
            if (i < 0) return -1;
            i = SkipWhitespace(line, i);
            if (i == line.Length) return -1;
            if (line[i] == (byte)'}') return i + 1;
            if (line[i] != (byte)',') return -1;
            i = SkipWhitespace(line, i + 1);
        }
    }

    private static int ArrayEnd(ReadOnlySpan<byte> line, int i, int depth)
    {
        i = SkipWhitespace(line, i + 1);
        if (i < line.Length && line[i] == (byte)']') return i + 1;
        while (true)
        {
            i = ValueEnd(line, i, depth);
            if (i < 0) return -1;
            i = SkipWhitespace(line, i);
            if (i == line.Length) return -1;
            if (line[i] == (byte)']') return i + 1;
            if (line[i] != (byte)',') return -1;
            i = SkipWhitespace(line, i + 1);
        }
    }

    /// <summary>The index of the closing quote of a string whose content starts at <paramref name="from"/>, or -1 when it has an escape or control character first.</summary>
    private static int PlainStringEnd(ReadOnlySpan<byte> line, int from)
    {
        var i = from;
        // Most strings here are names and short values: 16 bytes at a time ends nearly all of them in one step,
        // without the setup a general IndexOfAny pays on every call.
        if (Vector128.IsHardwareAccelerated)
        {
            var quote = Vector128.Create((byte)'"');
            var backslash = Vector128.Create((byte)'\\');
            var space = Vector128.Create((byte)' ');
            for (; i + Vector128<byte>.Count <= line.Length; i += Vector128<byte>.Count)
            {
                var chunk = Vector128.Create(line.Slice(i, Vector128<byte>.Count));
                var stops = Vector128.Equals(chunk, quote) | Vector128.Equals(chunk, backslash) | Vector128.LessThan(chunk, space);
                var mask = stops.ExtractMostSignificantBits();
                if (mask == 0) continue;
                i += BitOperations.TrailingZeroCount(mask);
                return line[i] == (byte)'"' ? i : -1;
            }
        }
        for (; i < line.Length; i++)
        {
            var b = line[i];
            if (b == (byte)'"') return i;
            if (b is (byte)'\\' or < 0x20) return -1;
        }
        return -1;
    }

    // What follows a literal is checked by the caller: only whitespace, ',', '}' or ']' is accepted there.
    private static int LiteralEnd(ReadOnlySpan<byte> line, int i, ReadOnlySpan<byte> literal) =>
        line[i..].StartsWith(literal) ? i + literal.Length : -1;

    /// <summary>One past a number in JSON's grammar (-?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?), or -1.</summary>
    private static int NumberEnd(ReadOnlySpan<byte> line, int i)
    {
        if (i < line.Length && line[i] == (byte)'-') i++;
        if (i == line.Length) return -1;
        if (line[i] == (byte)'0') i++;
        else if (IsDigit(line[i])) i = DigitsEnd(line, i);
        else return -1;
        if (i < line.Length && line[i] == (byte)'.')
        {
            var end = DigitsEnd(line, i + 1);
            if (end == i + 1) return -1;
            i = end;
        }
        if (i < line.Length && (line[i] | 0x20) == (byte)'e')
        {
            i++;
            if (i < line.Length && line[i] is (byte)'+' or (byte)'-') i++;
            var end = DigitsEnd(line, i);
            if (end == i) return -1;
            i = end;
        }
        return i;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;

    private static int DigitsEnd(ReadOnlySpan<byte> line, int i)
    {
        while (i < line.Length && IsDigit(line[i])) i++;
        return i;
    }

    private static int SkipWhitespace(ReadOnlySpan<byte> line, int i)
    {
        while (i < line.Length && line[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') i++;
        return i;
    }
}

using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Unicode;
using Pipelines.Shared.Text;

namespace Pipelines.Shared.Kinesis;

/// <summary>
/// The fast path of <see cref="KinesisEventReader"/> for the event exactly as Lambda writes it: the member names in
/// their documented case, strings without escapes, <c>approximateArrivalTimestamp</c> a number, and every other
/// member of a record a plain string. Over such an event it gives the batch the reader gives, byte for byte, at a
/// fraction of the cost (the reader's per-token work was most of county-aggregator's time). Anything else (an escape,
/// a comment, a trailing comma, a null, a name in another case, invalid JSON) makes it decline, and the reader, with
/// its lenient contract and its errors, reads the event instead.
/// </summary>
internal static class KinesisEventScanner
{
    /// <summary>The batch, or null when the event is not in Lambda's plain form (nothing is kept then).</summary>
    public static KinesisBatch? TryRead(ReadOnlySpan<byte> json)
    {
        var text = ArrayPool<byte>.Shared.Rent(Math.Max(1, json.Length));
        var records = ArrayPool<KinesisBatch.RawRecord>.Shared.Rent(Math.Max(16, json.Length / 512));
        var count = 0;
        var kept = false;
        try
        {
            var cursor = new Cursor(json);
            if (!cursor.Take((byte)'{') || !cursor.TryName(out var name) || !name.SequenceEqual("Records"u8) || !cursor.Take((byte)'['))
                return null;
            var used = 0;
            var shards = new ShardIdCache();
            if (!cursor.Take((byte)']'))
            {
                do
                {
                    if (count == records.Length) records = Grow(records);
                    if (!TryRecord(ref cursor, text, ref used, ref shards, out records[count])) return null;
                    count++;
                }
                while (cursor.Take((byte)','));
                if (!cursor.Take((byte)']')) return null;
            }
            if (!cursor.Take((byte)'}') || !cursor.AtEnd) return null;
            kept = true;
            return new KinesisBatch(records, count, text);
        }
        finally
        {
            if (!kept)
            {
                ArrayPool<byte>.Shared.Return(text);
                ArrayPool<KinesisBatch.RawRecord>.Shared.Return(records, clearArray: true);
            }
        }
    }

    private static KinesisBatch.RawRecord[] Grow(KinesisBatch.RawRecord[] records)
    {
        var larger = ArrayPool<KinesisBatch.RawRecord>.Shared.Rent(records.Length * 2);
        records.AsSpan().CopyTo(larger);
        ArrayPool<KinesisBatch.RawRecord>.Shared.Return(records, clearArray: true);
        return larger;
    }

    /// <summary>One <c>{"kinesis":{..},"eventID":"..",..}</c>; false when anything is outside the plain form.</summary>
    private static bool TryRecord(
        ref Cursor cursor, byte[] text, ref int used, ref ShardIdCache shards, out KinesisBatch.RawRecord record)
    {
        record = default;
        KinesisBatch.TextRange sequenceNumber = default, partitionKey = default, data = default;
        double arrival = 0;
        string? recordShard = null;
        if (!cursor.Take((byte)'{')) return false;
        do
        {
            if (!cursor.TryName(out var name)) return false;
            if (name.SequenceEqual("kinesis"u8))
            {
                if (!cursor.Take((byte)'{')) return false;
                do
                {
                    if (!cursor.TryName(out var member)) return false;
                    if (member.SequenceEqual("approximateArrivalTimestamp"u8))
                    {
                        if (!cursor.TryNumber(out arrival)) return false;
                        continue;
                    }
                    if (!cursor.TryString(out var value)) return false;
                    // The kept texts must be UTF-8 (the reader refuses the event otherwise); skipped ones are not checked.
                    if (member.SequenceEqual("data"u8)) { if (!TryCopy(value, text, ref used, out data)) return false; }
                    else if (member.SequenceEqual("sequenceNumber"u8)) { if (!TryCopy(value, text, ref used, out sequenceNumber)) return false; }
                    else if (member.SequenceEqual("partitionKey"u8)) { if (!TryCopy(value, text, ref used, out partitionKey)) return false; }
                    // The reader matches names in any case: a known name written in another case is its to read.
                    else if (Ascii.EqualsIgnoreCase(member, "data"u8) || Ascii.EqualsIgnoreCase(member, "sequenceNumber"u8)
                        || Ascii.EqualsIgnoreCase(member, "partitionKey"u8) || Ascii.EqualsIgnoreCase(member, "approximateArrivalTimestamp"u8)) return false;
                }
                while (cursor.Take((byte)','));
                if (!cursor.Take((byte)'}')) return false;
                continue;
            }
            if (!cursor.TryString(out var memberText)) return false;
            if (name.SequenceEqual("eventID"u8)) recordShard = shards.FromEventId(memberText);
            else if (Ascii.EqualsIgnoreCase(name, "kinesis"u8) || Ascii.EqualsIgnoreCase(name, "eventID"u8)) return false;
        }
        while (cursor.Take((byte)','));
        if (!cursor.Take((byte)'}')) return false;
        record = new KinesisBatch.RawRecord(sequenceNumber, partitionKey, data, recordShard ?? SourceRecord.ShardIdFromEventId(null), arrival);
        return true;
    }

    private static bool TryCopy(ReadOnlySpan<byte> value, byte[] text, ref int used, out KinesisBatch.TextRange range)
    {
        range = default;
        if (!Utf8.IsValid(value)) return false;
        range = new KinesisBatch.TextRange(used, value.Length);
        value.CopyTo(text.AsSpan(used));
        used += value.Length;
        return true;
    }

    /// <summary>A position in the event; JSON whitespace between tokens is skipped as the reader skips it.</summary>
    private ref struct Cursor(ReadOnlySpan<byte> json)
    {
        // What ends a plain string: its closing quote, or what makes it not plain (an escape, a control character JSON forbids).
        private static readonly SearchValues<byte> StringStop = SearchValues.Create(
            "\"\\\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F"u8);

        private static ReadOnlySpan<double> PowersOfTen => [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

        private readonly ReadOnlySpan<byte> _json = json;
        private int _at;

        public bool AtEnd
        {
            get
            {
                SkipWhitespace();
                return _at == _json.Length;
            }
        }

        /// <summary>Consumes <paramref name="token"/> if it is next.</summary>
        public bool Take(byte token)
        {
            SkipWhitespace();
            if (_at < _json.Length && _json[_at] == token)
            {
                _at++;
                return true;
            }
            return false;
        }

        /// <summary>A member name and its colon.</summary>
        public bool TryName(out ReadOnlySpan<byte> name) => TryString(out name) && Take((byte)':');

        /// <summary>A string without escapes or control characters (which JSON forbids unescaped).</summary>
        public bool TryString(out ReadOnlySpan<byte> value)
        {
            value = default;
            if (!Take((byte)'"')) return false;
            var rest = _json[_at..];
            var end = rest.IndexOfAny(StringStop);
            if (end < 0 || rest[end] != (byte)'"') return false;
            value = rest[..end];
            _at += end + 1;
            return true;
        }

        /// <summary>A JSON number, read as the reader's GetDouble reads it.</summary>
        public bool TryNumber(out double value)
        {
            value = 0;
            SkipWhitespace();
            var json = _json;
            var start = _at;
            var i = JsonNumberText.End(json, start, out var hasExponent);
            if (i < 0) return false;
            // A number runs to a delimiter; "1x" is not a number.
            if (i < json.Length && json[i] is not ((byte)',' or (byte)'}' or (byte)']' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
                return false;
            var number = json[start..i];
            _at = i;
            if (!hasExponent && TryExactQuotient(number, out value)) return true;
            return Utf8Parser.TryParse(number, out value, out var consumed, hasExponent ? 'e' : default) && consumed == number.Length && double.IsFinite(value);
        }

        /// <summary>
        /// A number of at most 15 digits without exponent, such as 1545084650.987, is its digits (exact in a double)
        /// divided by a power of ten (exact up to 1e22): one correctly rounded division, the value any correct
        /// parser gives, without the general parser's cost.
        /// </summary>
        private static bool TryExactQuotient(ReadOnlySpan<byte> number, out double value)
        {
            value = 0;
            var negative = number[0] == (byte)'-';
            ulong digits = 0;
            int count = 0, fraction = -1;
            for (var i = negative ? 1 : 0; i < number.Length; i++)
            {
                var b = number[i];
                if (b == (byte)'.')
                {
                    fraction = 0;
                    continue;
                }
                digits = digits * 10 + (uint)(b - '0');
                count++;
                if (fraction >= 0) fraction++;
            }
            if (count > 15) return false;
            value = digits / PowersOfTen[Math.Max(0, fraction)];
            if (negative) value = -value;
            return true;
        }

        private void SkipWhitespace()
        {
            while (_at < _json.Length && _json[_at] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') _at++;
        }
    }
}

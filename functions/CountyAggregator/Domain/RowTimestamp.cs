using System.Text;
using Pipelines.Shared.Text;

namespace Pipelines.Counties.Domain;

/// <summary>
/// Whether a row's <c>timestamp</c> is what <see cref="Iso8601.TryParseWithOffset"/> accepts, without a string and a
/// format-driven parse per row: the shape producers send is checked on the UTF-8 bytes, and anything else (rare, and
/// every invalid value) is decided by <see cref="Iso8601"/> itself, so the contract stays defined in one place.
/// </summary>
internal static class RowTimestamp
{
    public static bool IsValid(ReadOnlySpan<byte> utf8) =>
        IsPlainValidInstant(utf8) || Iso8601.TryParseWithOffset(Encoding.UTF8.GetString(utf8), out _);

    /// <summary>
    /// True only for <c>yyyy-MM-ddTHH:mm:ss[.f{1,7}]</c> followed by <c>Z</c> or <c>±hh:mm</c>, with every field in
    /// range: a subset of what <see cref="Iso8601.TryParseWithOffset"/> accepts. False means "not sure", never "invalid".
    /// </summary>
    internal static bool IsPlainValidInstant(ReadOnlySpan<byte> s)
    {
        const int DateTimeLength = 19; // yyyy-MM-ddTHH:mm:ss
        if (s.Length < DateTimeLength + 1) return false;
        if (!(Digits(s, 0, 4, out var year) && s[4] == '-' && Digits(s, 5, 2, out var month) && s[7] == '-'
              && Digits(s, 8, 2, out var day) && s[10] == 'T' && Digits(s, 11, 2, out var hour) && s[13] == ':'
              && Digits(s, 14, 2, out var minute) && s[16] == ':' && Digits(s, 17, 2, out var second)))
        {
            return false;
        }
        // Years away from 1 and 9999 keep the instant inside DateTimeOffset's range whatever the offset.
        if (year is < 2 or > 9998 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        var rest = s[DateTimeLength..];
        if (rest[0] == '.')
        {
            var digits = 1;
            while (digits < rest.Length && char.IsAsciiDigit((char)rest[digits])) digits++;
            if (digits is 1 or > 8) return false; // 1-7 fraction digits, as FFFFFFF reads
            rest = rest[digits..];
        }
        return rest is [(byte)'Z'] || IsOffset(rest);
    }

    private static bool IsOffset(ReadOnlySpan<byte> zone) =>
        zone.Length == 6 && zone[0] is (byte)'+' or (byte)'-' && Digits(zone, 1, 2, out var hours) && zone[3] == ':'
        && Digits(zone, 4, 2, out var minutes) && minutes <= 59 && (hours < 14 || (hours == 14 && minutes == 0));

    private static bool Digits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var digit = s[i] - '0';
            if ((uint)digit > 9) return false;
            value = value * 10 + digit;
        }
        return true;
    }
}

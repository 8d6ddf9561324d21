using System.Globalization;

namespace Pipelines.Shared.Text;

/// <summary>
/// ISO 8601 date-times as the pipelines' contracts use them: parsing demands an explicit offset ("Z" or ±hh:mm);
/// formatting writes UTC with exactly three fraction digits, so stored timestamps sort and compare as text.
/// </summary>
public static class Iso8601
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
    ];

    public static bool TryParseWithOffset(string text, out DateTimeOffset value)
    {
        value = default;
        // "K" also matches nothing, which would read a local time; the contract needs an explicit zone.
        if (!HasExplicitZone(text)) return false;
        return DateTimeOffset.TryParseExact(text, Formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out value);
    }

    /// <summary>UTC with exactly three fraction digits, e.g. 2018-12-17T22:10:50.987Z (finer fractions are truncated).</summary>
    public static string FormatUtcMillis(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// <see cref="TryParseWithOffset"/>'s answer for UTF-8 text, without a string and a format-driven parse for the
    /// shape producers send: that is checked on the bytes, and anything else (rare, and every invalid value) is
    /// decided by <see cref="TryParseWithOffset"/> itself, so the rule stays defined in one place.
    /// </summary>
    public static bool IsValidWithOffset(ReadOnlySpan<byte> utf8) =>
        IsPlainValidInstant(utf8) || TryParseWithOffset(System.Text.Encoding.UTF8.GetString(utf8), out _);

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

    /// <summary>The length of <see cref="FormatUtcMillis(DateTimeOffset)"/>'s text.</summary>
    public const int UtcMillisLength = 24;

    /// <summary>
    /// <see cref="FormatUtcMillis(DateTimeOffset)"/>'s text written straight into UTF-8 digits: hot paths put the
    /// timestamp into a JSON line, where a string per record (and the culture-aware format path) was pure overhead.
    /// </summary>
    /// <param name="destination">At least <see cref="UtcMillisLength"/> bytes; the text is written at its start.</param>
    public static ReadOnlySpan<byte> FormatUtcMillis(DateTimeOffset instant, Span<byte> destination) =>
        FormatUtcMillis(instant.UtcDateTime, destination);

    /// <inheritdoc cref="FormatUtcMillis(DateTimeOffset, Span{byte})"/>
    public static ReadOnlySpan<byte> FormatUtcMillis(DateTime utc, Span<byte> destination)
    {
        var text = destination[..UtcMillisLength];
        Digits(text[..4], utc.Year);
        text[4] = (byte)'-';
        Digits(text.Slice(5, 2), utc.Month);
        text[7] = (byte)'-';
        Digits(text.Slice(8, 2), utc.Day);
        text[10] = (byte)'T';
        Digits(text.Slice(11, 2), utc.Hour);
        text[13] = (byte)':';
        Digits(text.Slice(14, 2), utc.Minute);
        text[16] = (byte)':';
        Digits(text.Slice(17, 2), utc.Second);
        text[19] = (byte)'.';
        Digits(text.Slice(20, 3), utc.Millisecond);
        text[23] = (byte)'Z';
        return text;
    }

    /// <summary>The value's last <c>digits.Length</c> decimal digits, zero-padded.</summary>
    private static void Digits(Span<byte> digits, int value)
    {
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            digits[i] = (byte)('0' + value % 10);
            value /= 10;
        }
    }

    private static bool HasExplicitZone(string text)
    {
        if (text.EndsWith('Z')) return true;
        if (text.Length < 6) return false;
        var zone = text.AsSpan(text.Length - 6);
        return zone[0] is '+' or '-' && char.IsAsciiDigit(zone[1]) && char.IsAsciiDigit(zone[2]) && zone[3] == ':'
            && char.IsAsciiDigit(zone[4]) && char.IsAsciiDigit(zone[5]);
    }
}

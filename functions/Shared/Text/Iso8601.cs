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

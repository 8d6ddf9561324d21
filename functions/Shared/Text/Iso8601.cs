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

    private static bool HasExplicitZone(string text)
    {
        if (text.EndsWith('Z')) return true;
        if (text.Length < 6) return false;
        var zone = text.AsSpan(text.Length - 6);
        return zone[0] is '+' or '-' && char.IsAsciiDigit(zone[1]) && char.IsAsciiDigit(zone[2]) && zone[3] == ':'
            && char.IsAsciiDigit(zone[4]) && char.IsAsciiDigit(zone[5]);
    }
}

using System.Buffers;
using System.Globalization;
using System.Text;

namespace Pipelines.Orders.Transform.Domain;

/// <summary>Reads an order's ISO 8601 creation_datetime as a UTC calendar date (the S3 partition it belongs to).</summary>
internal static class CreationDate
{
    private const int StackChars = 128;

    /// <summary>
    /// Accepts ISO 8601 dates and date-times ("2024-03-07", "2024-03-07T12:00:00Z", "...+02:00", fractions);
    /// an offset is converted to UTC, no offset means UTC. Rejects anything that does not start yyyy-MM-dd.
    /// </summary>
    /// <param name="utf8">The value's text as valid UTF-8.</param>
    public static bool TryGetUtcDate(ReadOnlySpan<byte> utf8, out DateOnly date)
    {
        date = default;
        if (!LooksLikeIsoDate(utf8)) return false;
        if (TryReadUtcTimestamp(utf8, out date)) return true;
        // DateTimeOffset parses UTF-16: transcode on the stack (date-times are short), renting only for absurd values.
        char[]? rented = null;
        var chars = utf8.Length <= StackChars ? stackalloc char[StackChars] : (rented = ArrayPool<char>.Shared.Rent(utf8.Length));
        try
        {
            var length = Encoding.UTF8.GetChars(utf8, chars);
            if (!DateTimeOffset.TryParse(chars[..length], CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
                return false;
            date = DateOnly.FromDateTime(parsed.UtcDateTime);
            return true;
        }
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// The form the publisher writes, yyyy-MM-ddTHH:mm:ss[.f to .fffffff]Z with every part in range, read directly:
    /// the general parser costs more than the rest of the record. Its date is the parser's answer for these values
    /// (no offset to apply; at most 7 fraction digits, so no rounding into the next day). Anything else is left to it.
    /// </summary>
    private static bool TryReadUtcTimestamp(ReadOnlySpan<byte> s, out DateOnly date)
    {
        date = default;
        if (s.Length < 20 || s.Length > 28 || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[^1] != 'Z') return false;
        if (s.Length > 20 && (s[19] != '.' || s.Length == 21)) return false; // ".Z" has no fraction digits
        for (var i = 20; i < s.Length - 1; i++)
            if (!char.IsAsciiDigit((char)s[i])) return false;
        if (!TryTwoDigits(s[11..], out var hour) || !TryTwoDigits(s[14..], out var minute) || !TryTwoDigits(s[17..], out var second))
            return false;
        if (hour > 23 || minute > 59 || second > 59) return false;
        var year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
        var month = (s[5] - '0') * 10 + (s[6] - '0');
        var day = (s[8] - '0') * 10 + (s[9] - '0');
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)) return false;
        date = new DateOnly(year, month, day);
        return true;
    }

    private static bool TryTwoDigits(ReadOnlySpan<byte> s, out int value)
    {
        value = (s[0] - '0') * 10 + (s[1] - '0');
        return char.IsAsciiDigit((char)s[0]) && char.IsAsciiDigit((char)s[1]);
    }

    // The first ten characters are ASCII when this holds, so bytes and characters line up.
    private static bool LooksLikeIsoDate(ReadOnlySpan<byte> s)
    {
        if (s.Length < 10) return false;
        for (var i = 0; i < 10; i++)
        {
            var expectDash = i is 4 or 7;
            if (expectDash ? s[i] != '-' : !char.IsAsciiDigit((char)s[i])) return false;
        }
        return s.Length == 10 || s[10] is (byte)'T' or (byte)'t' or (byte)' ';
    }
}

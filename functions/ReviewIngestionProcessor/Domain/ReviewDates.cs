using System.Text;
using Pipelines.Shared.Text;

namespace Pipelines.Reviews.Domain;

/// <summary>
/// The review date rule, <see cref="Iso8601.TryParseWithOffset"/> (an ISO 8601 date-time with "Z" or ±hh:mm), decided
/// on the UTF-8 text. The shapes producers send (<c>2023-10-27T10:00:00Z</c>, with a fraction or an offset) are checked
/// here without a string or a culture-aware parse; anything else goes to the shared parser, so the rule is the same.
/// </summary>
internal static class ReviewDates
{
    public static bool IsValid(ReadOnlySpan<byte> utf8) =>
        IsCommonValidShape(utf8) || Iso8601.TryParseWithOffset(Encoding.UTF8.GetString(utf8), out _);

    /// <summary>
    /// True only for <c>yyyy-MM-ddTHH:mm:ss[.f{1,7}](Z|±hh:mm)</c> naming a real instant well inside DateTime's range,
    /// all of which the shared parser accepts too; false means "ask the shared parser", not "invalid".
    /// </summary>
    internal static bool IsCommonValidShape(ReadOnlySpan<byte> s)
    {
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':') return false;
        if (!TwoDigits(s, 0, out var century) || !TwoDigits(s, 2, out var yy) || !TwoDigits(s, 5, out var month)
            || !TwoDigits(s, 8, out var day) || !TwoDigits(s, 11, out var hour) || !TwoDigits(s, 14, out var minute)
            || !TwoDigits(s, 17, out var second))
            return false;
        var year = century * 100 + yy;
        // Years 1 and 9999 could leave DateTime's range once the offset is applied: left to the shared parser.
        if (year is < 2 or > 9998 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month)
            || hour > 23 || minute > 59 || second > 59)
            return false;

        var rest = s[19..];
        if (rest[0] == '.')
        {
            var digits = 1;
            while (digits < rest.Length && char.IsAsciiDigit((char)rest[digits])) digits++;
            if (digits is 1 or > 8) return false;
            rest = rest[digits..];
        }
        if (rest.Length == 1) return rest[0] == 'Z';
        return rest.Length == 6 && rest[0] is (byte)'+' or (byte)'-' && rest[3] == ':'
            && TwoDigits(rest, 1, out var offsetHours) && TwoDigits(rest, 4, out var offsetMinutes)
            && offsetMinutes <= 59 && (offsetHours < 14 || (offsetHours == 14 && offsetMinutes == 0));
    }

    private static bool TwoDigits(ReadOnlySpan<byte> s, int at, out int value)
    {
        var tens = s[at] - '0';
        var ones = s[at + 1] - '0';
        value = tens * 10 + ones;
        return (uint)tens <= 9 && (uint)ones <= 9;
    }
}

// Frozen copy of the implementation before issue 8 (commit 6947c2a): the oracle the equivalence tests compare the
// streaming handler against. Do not change it to make a test pass.
using System.Globalization;

namespace Pipelines.Tests.OrdersFirehoseTransform.Legacy;

/// <summary>Reads an order's ISO 8601 creation_datetime as a UTC calendar date (the S3 partition it belongs to).</summary>
internal static class LegacyCreationDate
{
    /// <summary>
    /// Accepts ISO 8601 dates and date-times ("2024-03-07", "2024-03-07T12:00:00Z", "...+02:00", fractions);
    /// an offset is converted to UTC, no offset means UTC. Rejects anything that does not start yyyy-MM-dd.
    /// </summary>
    public static bool TryGetUtcDate(string text, out DateOnly date)
    {
        date = default;
        if (!LooksLikeIsoDate(text)) return false;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            return false;
        date = DateOnly.FromDateTime(parsed.UtcDateTime);
        return true;
    }

    private static bool LooksLikeIsoDate(string s)
    {
        if (s.Length < 10) return false;
        for (var i = 0; i < 10; i++)
        {
            var expectDash = i is 4 or 7;
            if (expectDash ? s[i] != '-' : !char.IsAsciiDigit(s[i])) return false;
        }
        return s.Length == 10 || s[10] is 'T' or 't' or ' ';
    }
}

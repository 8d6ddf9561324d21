using System.Globalization;
using System.Text.RegularExpressions;

namespace Pipelines.Catalog.Domain;

/// <summary>Finds the <c>YYYY/MM/DD</c> partners put in their keys (<c>2024/01/31/acme-1.jsonl</c>).</summary>
internal static partial class SourceKeyDate
{
    [GeneratedRegex(@"(?<![^/])(\d{4})/(\d{2})/(\d{2})(?![^/])", RegexOptions.CultureInvariant)]
    private static partial Regex DatePath();

    public static DateOnly? TryParse(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        foreach (Match m in DatePath().Matches(key))
        {
            var y = int.Parse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
            var mo = int.Parse(m.Groups[2].ValueSpan, CultureInfo.InvariantCulture);
            var d = int.Parse(m.Groups[3].ValueSpan, CultureInfo.InvariantCulture);
            if (y >= 1 && mo is >= 1 and <= 12 && d >= 1 && d <= DateTime.DaysInMonth(y, mo)) return new DateOnly(y, mo, d);
        }
        return null;
    }
}

using System.Globalization;
using System.Text;

namespace Pipelines.Events.Domain;

/// <summary>One output partition: <c>&lt;kind&gt;/event_type=&lt;type&gt;/created_date=&lt;YYYY-MM-DD&gt;/</c>.</summary>
internal readonly record struct ArchivePartition(ArchiveKind Kind, string EventType, DateOnly CreatedDate)
{
    public string Prefix =>
        $"{(Kind == ArchiveKind.Events ? "events" : "duplicated")}/event_type={EscapePathValue(EventType)}/created_date={CreatedDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}/";

    /// <summary>
    /// Hive's partition-value escaping (FileUtils.escapePathName): '/', '=', ':' and friends become %XX so a type can
    /// never add a path level or break the key=value form, and Athena/Glue read the value back unescaped.
    /// </summary>
    internal static string EscapePathValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        StringBuilder? escaped = null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (NeedsEscape(c))
            {
                escaped ??= new StringBuilder(value.Length + 8).Append(value, 0, i);
                escaped.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                escaped?.Append(c);
            }
        }
        return escaped?.ToString() ?? value;
    }

    private static bool NeedsEscape(char c) =>
        c < ' ' || c == '\u007f' || c is '"' or '#' or '%' or '\'' or '*' or '/' or ':' or '=' or '?' or '\\' or '{' or '[' or ']' or '^';
}

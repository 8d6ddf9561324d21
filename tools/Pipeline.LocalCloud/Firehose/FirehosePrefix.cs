using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Pipelines.LocalCloud.Firehose;

/// <summary>
/// Evaluates Firehose custom S3 prefixes: <c>!{partitionKeyFromLambda:k}</c>, <c>!{timestamp:fmt}</c> (Java
/// DateTimeFormatter letters: yyyy, MM, dd, HH, mm, ss), <c>!{firehose:error-output-type}</c> and <c>!{firehose:random-string}</c>.
/// </summary>
public static partial class FirehosePrefix
{
    [GeneratedRegex(@"!\{(?<ns>[a-zA-Z]+):(?<arg>[^}]*)\}")]
    private static partial Regex Expression();

    /// <summary>The rendered prefix, or null when a partition key the prefix needs is missing.</summary>
    public static string? Render(
        string template, IReadOnlyDictionary<string, string>? partitionKeys, DateTimeOffset timestamp, string? errorOutputType = null)
    {
        var missing = false;
        var result = Expression().Replace(template, m =>
        {
            var arg = m.Groups["arg"].Value;
            switch (m.Groups["ns"].Value)
            {
                case "partitionKeyFromLambda":
                case "partitionKeyFromQuery":
                    if (partitionKeys is not null && partitionKeys.TryGetValue(arg, out var v) && !string.IsNullOrEmpty(v)) return v;
                    missing = true;
                    return "";
                case "timestamp":
                    return FormatTimestamp(arg, timestamp.ToUniversalTime());
                case "firehose" when arg == "error-output-type":
                    return errorOutputType ?? "";
                case "firehose" when arg == "random-string":
                    return Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(5));
                default:
                    throw new FormatException($"unsupported Firehose prefix expression {m.Value}");
            }
        });
        return missing ? null : result;
    }

    private static string FormatTimestamp(string javaPattern, DateTimeOffset t)
    {
        // Java's pattern letters map one to one onto .NET's for the ones Firehose prefixes use.
        var sb = new StringBuilder();
        foreach (var c in javaPattern)
        {
            sb.Append(c switch
            {
                'y' or 'M' or 'd' or 'H' or 'm' or 's' => c.ToString(),
                _ => "\\" + c,
            });
        }
        return t.UtcDateTime.ToString(sb.ToString(), CultureInfo.InvariantCulture);
    }
}

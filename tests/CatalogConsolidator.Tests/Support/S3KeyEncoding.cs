using System.Text;

namespace Pipelines.Tests.CatalogConsolidator.Support;

/// <summary>Encodes a key the way S3 writes it into event notifications: form encoding ('+' for space, %XX for UTF-8), '/' kept.</summary>
internal static class S3KeyEncoding
{
    public static string Encode(string key)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            var c = (char)b;
            if (b < 0x80 && (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '*' or '/')) sb.Append(c);
            else if (c == ' ') sb.Append('+');
            else sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}

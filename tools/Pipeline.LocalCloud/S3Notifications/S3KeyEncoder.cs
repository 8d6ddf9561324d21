using System.Text;

namespace Pipelines.LocalCloud.S3Notifications;

/// <summary>
/// Encodes an object key the way S3 puts it in event notifications: form-URL-encoding of the UTF-8 bytes
/// (space becomes '+', '=' becomes %3D, non-ASCII becomes %XX per byte) with '/' left as is.
/// </summary>
public static class S3KeyEncoder
{
    public static string Encode(string key)
    {
        var sb = new StringBuilder(key.Length + 16);
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            var c = (char)b;
            if (c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '.' or '-' or '_' or '*' or '/') sb.Append(c);
            else if (c == ' ') sb.Append('+');
            else sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }
}

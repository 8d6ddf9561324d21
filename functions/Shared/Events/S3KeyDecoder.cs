using System.Text;

namespace Pipelines.Shared.Events;

/// <summary>
/// Decodes object keys from S3 event notifications, which are form-URL-encoded: '+' is a space and %XX escapes
/// carry UTF-8 bytes. A malformed escape ("%G1", a trailing "%") is kept literally rather than failing the record.
/// </summary>
public static class S3KeyDecoder
{
    public static string Decode(string? key)
    {
        if (string.IsNullOrEmpty(key)) return "";
        if (key.AsSpan().IndexOfAny('+', '%') < 0) return key;

        var bytes = new List<byte>(key.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (c == '+')
            {
                bytes.Add((byte)' ');
            }
            else if (c == '%' && i + 2 < key.Length && TryHex(key[i + 1], out var hi) && TryHex(key[i + 2], out var lo))
            {
                bytes.Add((byte)((hi << 4) | lo));
                i += 2;
            }
            else if (char.IsSurrogatePair(key, i))
            {
                var n = Encoding.UTF8.GetBytes(key.AsSpan(i, 2), utf8);
                for (var k = 0; k < n; k++) bytes.Add(utf8[k]);
                i++;
            }
            else
            {
                var n = Encoding.UTF8.GetBytes(key.AsSpan(i, 1), utf8);
                for (var k = 0; k < n; k++) bytes.Add(utf8[k]);
            }
        }
        // Invalid UTF-8 from escapes becomes U+FFFD rather than an exception: the key is still usable for logging.
        return Encoding.UTF8.GetString(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes));
    }

    private static bool TryHex(char c, out int value)
    {
        value = c switch
        {
            >= '0' and <= '9' => c - '0',
            >= 'a' and <= 'f' => c - 'a' + 10,
            >= 'A' and <= 'F' => c - 'A' + 10,
            _ => -1,
        };
        return value >= 0;
    }
}

using System.Buffers;
using System.Text;

namespace Pipelines.Counties.Domain;

/// <summary>Whitespace trimming on UTF-8 bytes, removing exactly what <see cref="string.Trim()"/> removes.</summary>
internal static class Utf8Whitespace
{
    /// <summary>
    /// Strips leading and trailing Unicode white space (<see cref="Rune.IsWhiteSpace"/> is the same set as
    /// <see cref="char.IsWhiteSpace(char)"/>: every white-space character is in the BMP). Stops at bytes that are not
    /// valid UTF-8, which <see cref="string.Trim()"/> would see as U+FFFD, not white space, either.
    /// </summary>
    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> utf8)
    {
        while (!utf8.IsEmpty && Rune.DecodeFromUtf8(utf8, out var rune, out var length) == OperationStatus.Done && Rune.IsWhiteSpace(rune))
            utf8 = utf8[length..];
        while (!utf8.IsEmpty && Rune.DecodeLastFromUtf8(utf8, out var rune, out var length) == OperationStatus.Done && Rune.IsWhiteSpace(rune))
            utf8 = utf8[..^length];
        return utf8;
    }
}

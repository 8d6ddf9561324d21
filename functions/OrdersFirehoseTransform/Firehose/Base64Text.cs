using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Pipelines.Orders.Transform.Firehose;

/// <summary>Decodes a record's base64 data, held as UTF-8, with the verdict <see cref="Convert.TryFromBase64String"/> gives.</summary>
internal static class Base64Text
{
    /// <summary>Room <see cref="TryDecode"/> needs for <paramref name="base64Length"/> bytes of base64 text.</summary>
    public static int MaxDecodedLength(int base64Length) => Math.Max(1, Base64.GetMaxDecodedFromUtf8Length(base64Length));

    /// <summary>
    /// Decodes standard base64 (padding required; whitespace is skipped, as Convert does) into
    /// <paramref name="destination"/>; false when the text is not valid base64.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<byte> base64, Span<byte> destination, out int written)
    {
        if (Base64.DecodeFromUtf8(base64, destination, out _, out written) == OperationStatus.Done) return true;
        // Base64.DecodeFromUtf8 is stricter than Convert in one way: it refuses a last character whose unused bits are
        // not zero ("Az=="), which Convert accepts. Convert's verdict is the function's contract, so ask it.
        return TryDecodeWithConvert(base64, destination, out written);
    }

    private static bool TryDecodeWithConvert(ReadOnlySpan<byte> base64, Span<byte> destination, out int written)
    {
        var chars = ArrayPool<char>.Shared.Rent(Math.Max(1, Encoding.UTF8.GetMaxCharCount(base64.Length)));
        try
        {
            var length = Encoding.UTF8.GetChars(base64, chars);
            return Convert.TryFromBase64Chars(chars.AsSpan(0, length), destination, out written);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }
}

using System.Buffers;
using System.Buffers.Text;
using System.Text;

namespace Pipelines.Events.Domain;

/// <summary>
/// Decodes a record's base64 <c>data</c> into a pooled buffer (the caller returns it with <see cref="Return"/>),
/// refusing oversize payloads before spending the work of decoding them. Accepts exactly what
/// <see cref="Convert.TryFromBase64String"/> accepts (whitespace between characters included), which is what this
/// function has always accepted, but reads the UTF-8 text of the event without a UTF-16 copy.
/// </summary>
internal static class KinesisPayload
{
    /// <summary>Base64 text longer than this decodes to more than <see cref="EventParser.MaxEventBytes"/>.</summary>
    private const int MaxBase64Length = (EventParser.MaxEventBytes + 2) / 3 * 4;

    /// <param name="base64Utf8">The record's data as delivered: base64 text in UTF-8.</param>
    public static bool TryDecode(ReadOnlySpan<byte> base64Utf8, out byte[] rented, out int length, out RejectReason? reason)
    {
        rented = [];
        length = 0;
        if (base64Utf8.Length > MaxBase64Length + 16) // a little slack for whitespace, which base64 allows
        {
            reason = new RejectReason(RejectReason.Oversize,
                $"payload is about {base64Utf8.Length / 4 * 3} bytes; the limit is {EventParser.MaxEventBytes}");
            return false;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, base64Utf8.Length / 4 * 3 + 3));
        // Base64.DecodeFromUtf8 skips the same whitespace as Convert (tested), but it refuses non-zero bits after the
        // last character ("QR=="), which Convert ignores: what it refuses goes through Convert, so nothing that was
        // accepted before is rejected now. Only records about to be rejected pay for that string.
        if (Base64.DecodeFromUtf8(base64Utf8, buffer, out _, out length) != OperationStatus.Done
            && !Convert.TryFromBase64String(Encoding.UTF8.GetString(base64Utf8), buffer, out length))
        {
            ArrayPool<byte>.Shared.Return(buffer);
            length = 0;
            reason = new RejectReason(RejectReason.InvalidBase64, "data is not valid base64");
            return false;
        }
        rented = buffer;
        reason = null;
        return true;
    }

    public static void Return(byte[] rented)
    {
        if (rented.Length > 0) ArrayPool<byte>.Shared.Return(rented);
    }
}

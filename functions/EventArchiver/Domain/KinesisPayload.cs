using System.Buffers;

namespace Pipelines.Events.Domain;

/// <summary>
/// Decodes a record's base64 <c>data</c> into a pooled buffer (the caller returns it with <see cref="Return"/>),
/// refusing oversize payloads before spending the work of decoding them.
/// </summary>
internal static class KinesisPayload
{
    /// <summary>Base64 text longer than this decodes to more than <see cref="EventParser.MaxEventBytes"/>.</summary>
    private const int MaxBase64Length = (EventParser.MaxEventBytes + 2) / 3 * 4;

    public static bool TryDecode(string base64, out byte[] rented, out int length, out RejectReason? reason)
    {
        ArgumentNullException.ThrowIfNull(base64);
        rented = [];
        length = 0;
        if (base64.Length > MaxBase64Length + 16) // a little slack for whitespace, which base64 allows
        {
            reason = new RejectReason(RejectReason.Oversize,
                $"payload is about {base64.Length / 4 * 3} bytes; the limit is {EventParser.MaxEventBytes}");
            return false;
        }
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, base64.Length / 4 * 3 + 3));
        if (!Convert.TryFromBase64String(base64, buffer, out length))
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

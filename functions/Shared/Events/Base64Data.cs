using System.Buffers.Text;

namespace Pipelines.Shared.Events;

/// <summary>Base64 helpers for the event payload fields, which arrive as base64 text.</summary>
public static class Base64Data
{
    /// <summary>Decodes standard base64 (with padding); false for anything malformed instead of throwing.</summary>
    public static bool TryDecode(string? base64, out byte[] data)
    {
        if (string.IsNullOrEmpty(base64))
        {
            data = [];
            return base64 is not null;
        }
        var buffer = new byte[Base64.GetMaxDecodedFromUtf8Length(base64.Length)];
        if (Convert.TryFromBase64String(base64, buffer, out var written))
        {
            data = written == buffer.Length ? buffer : buffer.AsSpan(0, written).ToArray();
            return true;
        }
        data = [];
        return false;
    }

    public static string Encode(ReadOnlySpan<byte> data) => Convert.ToBase64String(data);
}

using System.Buffers;
using System.Buffers.Text;
using System.Text.Unicode;

namespace Pipelines.Shared.Kinesis;

/// <summary>
/// A Kinesis record's decoded bytes in a buffer rented from the shared pool; dispose to return it.
/// Pooling matters because a 500-record batch would otherwise allocate a fresh array per record.
/// </summary>
public struct PooledPayload : IDisposable
{
    private static readonly SearchValues<byte> AsciiWhitespace = SearchValues.Create(" \t\r\n\f\v"u8);

    private byte[]? _buffer;

    public int Length { get; private set; }

    public readonly ReadOnlySpan<byte> Span => _buffer is null ? [] : _buffer.AsSpan(0, Length);

    public readonly ReadOnlyMemory<byte> Memory => _buffer is null ? ReadOnlyMemory<byte>.Empty : _buffer.AsMemory(0, Length);

    /// <summary>
    /// Decodes strict base64 (what Kinesis puts on the wire: no whitespace, correct padding) and checks the bytes
    /// are valid UTF-8. Returns null on success, otherwise why the record can never be processed.
    /// </summary>
    public static string? TryDecode(string? base64, out PooledPayload payload)
    {
        payload = default;
        if (base64 is null) return "invalid base64: data is missing";
        foreach (var c in base64)
        {
            // Convert's decoder skips whitespace; Kinesis never sends any, so its presence means a corrupt record.
            if (char.IsWhiteSpace(c)) return "invalid base64: contains whitespace";
        }
        if (base64.Length % 4 != 0) return "invalid base64: length is not a multiple of 4";

        var rented = ArrayPool<byte>.Shared.Rent(Math.Max(1, base64.Length / 4 * 3));
        if (!Convert.TryFromBase64String(base64, rented, out var written))
        {
            ArrayPool<byte>.Shared.Return(rented);
            return "invalid base64: illegal character or padding";
        }
        if (!Utf8.IsValid(rented.AsSpan(0, written)))
        {
            ArrayPool<byte>.Shared.Return(rented);
            return "invalid UTF-8 in decoded data";
        }
        payload = new PooledPayload { _buffer = rented, Length = written };
        return null;
    }

    /// <summary>
    /// The same checks and messages as <see cref="TryDecode(string?, out PooledPayload)"/>, for base64 text that is
    /// still UTF-8 (<see cref="KinesisBatch.Data(int)"/>), decoded without a UTF-16 copy.
    /// </summary>
    public static string? TryDecode(ReadOnlySpan<byte> base64Utf8, out PooledPayload payload)
    {
        payload = default;
        // Base64.DecodeFromUtf8 skips whitespace; Kinesis never sends any, so its presence means a corrupt record.
        if (base64Utf8.IndexOfAny(AsciiWhitespace) >= 0) return "invalid base64: contains whitespace";
        if (base64Utf8.Length % 4 != 0) return "invalid base64: length is not a multiple of 4";

        var rented = ArrayPool<byte>.Shared.Rent(Math.Max(1, base64Utf8.Length / 4 * 3));
        if (Base64.DecodeFromUtf8(base64Utf8, rented, out _, out var written) != OperationStatus.Done)
        {
            ArrayPool<byte>.Shared.Return(rented);
            return "invalid base64: illegal character or padding";
        }
        if (!Utf8.IsValid(rented.AsSpan(0, written)))
        {
            ArrayPool<byte>.Shared.Return(rented);
            return "invalid UTF-8 in decoded data";
        }
        payload = new PooledPayload { _buffer = rented, Length = written };
        return null;
    }

    public void Dispose()
    {
        if (_buffer is not null) ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = null;
        Length = 0;
    }
}

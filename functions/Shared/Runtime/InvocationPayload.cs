using System.Buffers;

namespace Pipelines.Shared.Runtime;

/// <summary>
/// The invocation's event bytes. The runtime hands over a MemoryStream over the received payload, which is used in
/// place; any other stream is copied into a pooled buffer, returned on <see cref="Dispose"/>.
/// </summary>
public sealed class InvocationPayload : IDisposable
{
    private byte[]? _rented;

    private InvocationPayload(ReadOnlyMemory<byte> bytes, byte[]? rented)
    {
        Bytes = bytes;
        _rented = rented;
        WasStreamed = rented is not null;
    }

    public ReadOnlyMemory<byte> Bytes { get; }

    /// <summary>True when the bytes were read from a stream other than a MemoryStream (a handler that decodes such input as a stream can keep doing so).</summary>
    public bool WasStreamed { get; }

    public static async Task<InvocationPayload> ReadAsync(Stream input, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input is MemoryStream memory && memory.TryGetBuffer(out var segment))
            return new InvocationPayload(segment.AsMemory((int)memory.Position), null);

        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        var length = 0;
        try
        {
            int read;
            while ((read = await input.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
                if (length < buffer.Length) continue;
                var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                buffer.AsSpan(0, length).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(buffer);
                buffer = larger;
            }
            return new InvocationPayload(buffer.AsMemory(0, length), buffer);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    public void Dispose()
    {
        if (_rented is null) return;
        ArrayPool<byte>.Shared.Return(_rented);
        _rented = null;
    }
}

namespace Pipelines.Orders.Transform.Firehose;

/// <summary>
/// The invocation payload as one span of bytes. The runtime hands over a MemoryStream over the received payload,
/// which is used in place; any other stream is read into a pooled buffer. Dispose to return that buffer.
/// </summary>
internal sealed class EventPayload : IDisposable
{
    private const int ReadChunkBytes = 64 * 1024;

    private readonly ArraySegment<byte> _inPlace;
    private readonly PooledByteBuffer? _copy;

    private EventPayload(ArraySegment<byte> inPlace, PooledByteBuffer? copy)
    {
        _inPlace = inPlace;
        _copy = copy;
    }

    public ReadOnlySpan<byte> Span => _copy is null ? _inPlace.AsSpan() : _copy.WrittenSpan;

    public static async Task<EventPayload> ReadAsync(Stream input, CancellationToken cancellationToken)
    {
        if (input is MemoryStream memory && memory.TryGetBuffer(out var segment))
            return new EventPayload(segment[(int)memory.Position..], null);

        var copy = new PooledByteBuffer(input.CanSeek ? (int)Math.Min(input.Length - input.Position + 1, int.MaxValue) : ReadChunkBytes);
        try
        {
            int read;
            while ((read = await input.ReadAsync(copy.GetMemory(ReadChunkBytes), cancellationToken)) > 0)
                copy.Advance(read);
            return new EventPayload(default, copy);
        }
        catch
        {
            copy.Dispose();
            throw;
        }
    }

    public void Dispose() => _copy?.Dispose();
}

using System.Buffers;

namespace Pipelines.Events.Domain;

/// <summary>
/// The archived lines of one batch, packed into large buffers rented from the shared pool. A line lives exactly as
/// long as its batch, so one array per line only fed the collector (and, held across the batch's sink calls, was
/// promoted out of gen0). Dispose when the batch is done: the lines handed out are invalid afterwards.
/// </summary>
internal sealed class LineArena : IDisposable
{
    private const int ChunkBytes = 64 * 1024;

    private readonly List<byte[]> _rented = [];
    private byte[]? _chunk;
    private int _used;

    /// <summary>A copy of <paramref name="line"/> that stays valid until the arena is disposed.</summary>
    public ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> line)
    {
        if (line.Length > ChunkBytes / 4) return line.ToArray(); // a rare big event keeps its own array
        if (_chunk is null || _chunk.Length - _used < line.Length)
        {
            _chunk = ArrayPool<byte>.Shared.Rent(ChunkBytes);
            _rented.Add(_chunk);
            _used = 0;
        }
        var copy = _chunk.AsMemory(_used, line.Length);
        line.CopyTo(copy.Span);
        _used += line.Length;
        return copy;
    }

    public void Dispose()
    {
        foreach (var chunk in _rented) ArrayPool<byte>.Shared.Return(chunk);
        _rented.Clear();
        _chunk = null;
        _used = 0;
    }
}

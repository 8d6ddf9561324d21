using System.Buffers;

namespace Pipelines.Shared.Buffers;

/// <summary>
/// Copies of a batch's byte runs (archived lines, CDC records, item JSON) packed back to back into a few large chunks
/// rented from the shared pool. Such bytes live exactly as long as their batch, so an array each only fed the
/// collector and, held across the batch's sink calls, was promoted out of gen0. Copies never move; they are invalid
/// once the arena is disposed. Not thread-safe.
/// </summary>
public sealed class PooledByteArena(int chunkBytes = 64 * 1024) : IDisposable
{
    private readonly int _chunkBytes = chunkBytes > 0 ? chunkBytes : throw new ArgumentOutOfRangeException(nameof(chunkBytes));
    private readonly List<byte[]> _chunks = [];
    private byte[]? _current;
    private int _used;

    /// <summary>A copy of <paramref name="bytes"/> that stays valid until the arena is disposed.</summary>
    public ReadOnlyMemory<byte> Copy(ReadOnlySpan<byte> bytes)
    {
        if (_current is null || _current.Length - _used < bytes.Length)
        {
            // A new chunk (big enough for an outsized run); what was handed out stays where it is.
            _current = ArrayPool<byte>.Shared.Rent(Math.Max(_chunkBytes, bytes.Length));
            _chunks.Add(_current);
            _used = 0;
        }
        bytes.CopyTo(_current.AsSpan(_used));
        var copy = new ReadOnlyMemory<byte>(_current, _used, bytes.Length);
        _used += bytes.Length;
        return copy;
    }

    public void Dispose()
    {
        foreach (var chunk in _chunks) ArrayPool<byte>.Shared.Return(chunk);
        _chunks.Clear();
        _current = null;
        _used = 0;
    }
}

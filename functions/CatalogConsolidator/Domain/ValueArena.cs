using System.Buffers;

namespace Pipelines.Catalog.Domain;

/// <summary>Where a block of bytes starts in a <see cref="ValueArena"/>.</summary>
internal readonly record struct ArenaBlock(int Chunk, int Offset);

/// <summary>
/// Holds one invocation's field values in large pooled chunks instead of one small array per value: a batch holds
/// hundreds of thousands of accommodations with about ten values each, which as separate arrays cost a 24-byte header
/// apiece and millions of objects for the GC to trace and promote. A block never straddles two chunks; a block larger
/// than a chunk gets an array of its own (not pooled). Blocks start 8-byte aligned, so fixed-size records (a group's
/// slot table) can be laid over them. A small block no longer used can be released and is handed out again for a
/// request of the same rounded size (groups' tables come in a few sizes and are replaced when they grow).
/// <see cref="Dispose"/> returns the chunks to the pool, so nothing read from the arena may be used afterwards.
/// Single-threaded, like the rest of the consolidation.
/// </summary>
internal sealed class ValueArena : IDisposable
{
    public const int DefaultChunkSize = 1 << 20;
    private const int Alignment = 8;
    private const int LargestRecycled = 4096;

    private readonly ArrayPool<byte> _pool;
    private readonly int _chunkSize;
    private readonly List<byte[]> _chunks = [];
    // Only arrays rented from the pool go back to it; oversized blocks' arrays are left to the GC.
    private readonly List<bool> _fromPool = [];
    // Released blocks by rounded size / Alignment.
    private readonly Stack<ArenaBlock>?[] _released = new Stack<ArenaBlock>?[LargestRecycled / Alignment + 1];
    private int _current = -1;
    private int _used;
    private bool _disposed;

    public ValueArena(ArrayPool<byte>? pool = null, int chunkSize = DefaultChunkSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        _pool = pool ?? ArrayPool<byte>.Shared;
        _chunkSize = chunkSize;
    }

    /// <summary>Bytes handed out and not released (rounded to the alignment), whether still referenced or not.</summary>
    public long ReservedBytes { get; private set; }

    /// <summary>Bytes of the arrays held: what the arena costs in memory, used or not.</summary>
    public long HeldBytes { get; private set; }

    /// <summary>Arrays currently held (pooled chunks and oversized blocks).</summary>
    public int ChunkCount => _chunks.Count;

    /// <summary>Reserves <paramref name="length"/> contiguous bytes; <paramref name="destination"/> is where to write them.</summary>
    public ArenaBlock Reserve(int length, out Span<byte> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var rounded = Round(length);
        ReservedBytes += rounded;
        if (rounded <= LargestRecycled && _released[rounded / Alignment] is { Count: > 0 } recycled)
        {
            var reused = recycled.Pop();
            destination = _chunks[reused.Chunk].AsSpan(reused.Offset, length);
            return reused;
        }
        if (length > _chunkSize)
        {
            // The chunk being filled stays current: its free tail still serves the next small blocks.
            var own = GC.AllocateUninitializedArray<byte>(length);
            _chunks.Add(own);
            _fromPool.Add(false);
            HeldBytes += own.Length;
            destination = own;
            return new ArenaBlock(_chunks.Count - 1, 0);
        }
        _used = Round(_used);
        if (_current < 0 || _used + length > _chunkSize)
        {
            _chunks.Add(_pool.Rent(_chunkSize));
            _fromPool.Add(true);
            HeldBytes += _chunkSize;
            _current = _chunks.Count - 1;
            _used = 0;
        }
        var block = new ArenaBlock(_current, _used);
        destination = _chunks[_current].AsSpan(_used, length);
        _used += length;
        return block;
    }

    /// <summary>Copies <paramref name="value"/> into the arena.</summary>
    public ArenaBlock Add(ReadOnlySpan<byte> value)
    {
        var block = Reserve(value.Length, out var destination);
        value.CopyTo(destination);
        return block;
    }

    /// <summary>
    /// Gives back a block of <paramref name="length"/> bytes nothing refers to any more, to be handed out again by a
    /// later <see cref="Reserve"/> of the same rounded size. Blocks larger than a few kilobytes are simply left unused.
    /// </summary>
    public void Release(ArenaBlock block, int length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var rounded = Round(length);
        ReservedBytes -= rounded;
        if (rounded == 0 || rounded > LargestRecycled) return;
        (_released[rounded / Alignment] ??= new Stack<ArenaBlock>()).Push(block);
    }

    /// <summary><paramref name="length"/> bytes at <paramref name="offset"/> within <paramref name="block"/>.</summary>
    public ReadOnlySpan<byte> Read(ArenaBlock block, int offset, int length) => Bytes(block, offset, length);

    /// <summary>Like <see cref="Read"/>, writable: for records kept in the arena and updated in place.</summary>
    public Span<byte> Bytes(ArenaBlock block, int offset, int length)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return length == 0 ? [] : _chunks[block.Chunk].AsSpan(block.Offset + offset, length);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        for (var i = 0; i < _chunks.Count; i++)
            if (_fromPool[i]) _pool.Return(_chunks[i]);
        _chunks.Clear();
        _fromPool.Clear();
        Array.Clear(_released);
    }

    private static int Round(int length) => (length + Alignment - 1) & ~(Alignment - 1);
}

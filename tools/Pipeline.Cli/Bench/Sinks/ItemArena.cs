namespace Pipelines.Cli.Bench.Sinks;

/// <summary>Where one stored byte run lives in an <see cref="ItemArena"/>.</summary>
internal readonly record struct ArenaSlot(int Chunk, int Offset, int Length);

/// <summary>
/// Append-only bytes in 1 MB chunks: a table's keys and items as DynamoDB JSON. Chunks are on the large object heap and
/// hold no references, so however many items a run stores, the GC neither copies nor scans them while the measured
/// function runs (in production those items live in DynamoDB, not in the function's heap). A replaced item's old bytes
/// stay until <see cref="Clear"/>, which keeps the chunks for the next run. Not thread-safe: its table's owner locks.
/// </summary>
internal sealed class ItemArena
{
    private const int ChunkSize = 1 << 20;

    private readonly List<byte[]> _chunks = [];
    private int _current;
    private int _used;

    public ReadOnlySpan<byte> this[ArenaSlot slot] => _chunks[slot.Chunk].AsSpan(slot.Offset, slot.Length);

    public ArenaSlot Append(ReadOnlySpan<byte> bytes)
    {
        if (_chunks.Count == 0 || _used + bytes.Length > _chunks[_current].Length) NextChunk(bytes.Length);
        bytes.CopyTo(_chunks[_current].AsSpan(_used));
        var slot = new ArenaSlot(_current, _used, bytes.Length);
        _used += bytes.Length;
        return slot;
    }

    /// <summary>Forgets every slot; the chunks are reused.</summary>
    public void Clear()
    {
        _current = 0;
        _used = 0;
    }

    private void NextChunk(int atLeast)
    {
        _current = _chunks.Count == 0 ? 0 : _current + 1;
        _used = 0;
        if (_current == _chunks.Count) _chunks.Add(new byte[Math.Max(ChunkSize, atLeast)]);
        else if (_chunks[_current].Length < atLeast) _chunks[_current] = new byte[atLeast];
    }
}

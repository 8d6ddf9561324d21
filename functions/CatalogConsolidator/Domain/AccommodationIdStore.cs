namespace Pipelines.Catalog.Domain;

/// <summary>
/// The characters of every accommodation id of a state, appended one after another in large arrays: hundreds of
/// thousands of ids as strings were as many objects for the GC to promote, and pointers to chase when comparing. An id
/// is addressed by the position <see cref="Add"/> returned and its length; it never straddles two arrays.
/// </summary>
internal sealed class AccommodationIdStore
{
    // 256 KB of chars: large enough to sit on the large object heap, which the GC does not copy.
    private const int LargestChunk = 1 << 17;
    private const int FirstChunk = 1 << 10;
    private readonly List<char[]> _chunks = [];
    private int _used;

    /// <summary>Copies <paramref name="id"/> in; returns where it is.</summary>
    public long Add(ReadOnlySpan<char> id)
    {
        if (_chunks.Count == 0 || _used + id.Length > _chunks[^1].Length)
        {
            // Small states (most tests, small batches) stay small; big ones soon get the largest chunks.
            var size = _chunks.Count == 0 ? FirstChunk : Math.Min(LargestChunk, 2 * _chunks[^1].Length);
            _chunks.Add(GC.AllocateUninitializedArray<char>(Math.Max(size, id.Length)));
            _used = 0;
        }
        id.CopyTo(_chunks[^1].AsSpan(_used));
        var at = ((long)(_chunks.Count - 1) << 32) | (uint)_used;
        _used += id.Length;
        return at;
    }

    public ReadOnlySpan<char> Get(long at, int length) => _chunks[(int)(at >> 32)].AsSpan((int)at, length);

    /// <summary>Forgets every id (and lets the arrays go).</summary>
    public void Clear()
    {
        _chunks.Clear();
        _used = 0;
    }

    /// <summary>Forgets the id added at <paramref name="at"/> and every id added after it.</summary>
    public void TruncateTo(long at)
    {
        var chunk = (int)(at >> 32);
        _chunks.RemoveRange(chunk + 1, _chunks.Count - chunk - 1);
        _used = (int)at;
    }
}

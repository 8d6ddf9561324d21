using System.Runtime.CompilerServices;

namespace Pipelines.Catalog.Domain;

/// <summary>
/// Holds a state's accommodation groups in large arrays, 4,096 to a chunk, instead of one object each. With their
/// tables and values in the arena, hundreds of thousands of groups are then a few arrays the GC never has to copy or
/// walk object by object. Groups are addressed by index; a chunk never moves, so a reference to one stays valid.
/// </summary>
internal sealed class GroupStore
{
    private const int ChunkBits = 12;
    private const int ChunkSize = 1 << ChunkBits;
    /// <summary>Bytes of one chunk, for <see cref="StateReserve"/>'s limit.</summary>
    internal static readonly long ChunkBytes = (long)ChunkSize * Unsafe.SizeOf<AccommodationGroup>();
    private List<AccommodationGroup[]> _chunks = [];
    // Cleared chunks to use before allocating (a previous store's).
    private readonly Stack<AccommodationGroup[]> _spare = new();

    /// <summary>An empty store; it fills <paramref name="reusedChunks"/> (cleared) before allocating chunks of its own.</summary>
    public GroupStore(IEnumerable<AccommodationGroup[]>? reusedChunks = null)
    {
        foreach (var chunk in reusedChunks ?? []) _spare.Push(chunk);
    }

    public int Count { get; private set; }

    public ref AccommodationGroup this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
            return ref _chunks[index >> ChunkBits][index & (ChunkSize - 1)];
        }
    }

    /// <summary>Adds an empty group and returns its index.</summary>
    public int Add()
    {
        if (Count == _chunks.Count * ChunkSize) _chunks.Add(_spare.Count > 0 ? _spare.Pop() : new AccommodationGroup[ChunkSize]);
        var index = Count++;
        this[index] = default;
        return index;
    }

    /// <summary>Forgets every group and hands over every chunk (for another store; they still hold the groups).</summary>
    public List<AccommodationGroup[]> Release()
    {
        var chunks = _chunks;
        chunks.AddRange(_spare);
        _spare.Clear();
        _chunks = [];
        Count = 0;
        return chunks;
    }

    /// <summary>Forgets the groups from <paramref name="count"/> on (the last ones added), keeping the chunks for reuse.</summary>
    public void Truncate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)count, (uint)Count, nameof(count));
        for (var i = count; i < Count; i++) this[i] = default;
        Count = count;
    }
}

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
    private readonly List<AccommodationGroup[]> _chunks = [];

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
        if (Count == _chunks.Count * ChunkSize) _chunks.Add(new AccommodationGroup[ChunkSize]);
        var index = Count++;
        this[index] = default;
        return index;
    }

    /// <summary>Forgets the groups from <paramref name="count"/> on (the last ones added), keeping the chunks for reuse.</summary>
    public void Truncate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)count, (uint)Count, nameof(count));
        for (var i = count; i < Count; i++) this[i] = default;
        Count = count;
    }
}

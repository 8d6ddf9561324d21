namespace Pipelines.Cli.Bench.Sinks;

/// <summary>
/// One in-memory DynamoDB table: items as DynamoDB JSON by key bytes (see <see cref="ItemKeys"/>), both kept in an
/// <see cref="ItemArena"/>, so an item costs the GC no object of its own, only its dictionary entry. Lookups take the
/// key as a span and allocate nothing. Items enumerate in insertion order, as a Dictionary's would. Not thread-safe.
/// </summary>
internal sealed class StoredTable
{
    private readonly ItemArena _arena = new();
    private readonly Dictionary<ArenaSlot, ArenaSlot> _items;
    private readonly Dictionary<ArenaSlot, ArenaSlot>.AlternateLookup<ReadOnlySpan<byte>> _byKey;

    public StoredTable(string name, string hashKey, string? rangeKey)
    {
        Name = name;
        HashKey = hashKey;
        RangeKey = rangeKey;
        HashKeyUtf8 = System.Text.Encoding.UTF8.GetBytes(hashKey);
        RangeKeyUtf8 = rangeKey is null ? null : System.Text.Encoding.UTF8.GetBytes(rangeKey);
        _items = new Dictionary<ArenaSlot, ArenaSlot>(new KeyComparer(_arena));
        _byKey = _items.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public string Name { get; }

    public string HashKey { get; }

    public string? RangeKey { get; }

    public byte[] HashKeyUtf8 { get; }

    public byte[]? RangeKeyUtf8 { get; }

    public int Count => _items.Count;

    /// <summary>The stored items' slots, for <see cref="this[ArenaSlot]"/>.</summary>
    public Dictionary<ArenaSlot, ArenaSlot>.ValueCollection Items => _items.Values;

    public ReadOnlySpan<byte> this[ArenaSlot item] => _arena[item];

    public bool TryGet(ReadOnlySpan<byte> key, out ReadOnlySpan<byte> item)
    {
        if (_byKey.TryGetValue(key, out var slot))
        {
            item = _arena[slot];
            return true;
        }
        item = default;
        return false;
    }

    /// <summary>Stores <paramref name="item"/> under <paramref name="key"/>, replacing what was there.</summary>
    public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> item) => _byKey[key] = _arena.Append(item);

    public bool Remove(ReadOnlySpan<byte> key) => _byKey.Remove(key);

    public void Clear()
    {
        _items.Clear();
        _arena.Clear();
    }

    /// <summary>Compares keys by their bytes in the arena; a new key (<see cref="Create"/>) is appended to it.</summary>
    private sealed class KeyComparer(ItemArena arena) : IEqualityComparer<ArenaSlot>, IAlternateEqualityComparer<ReadOnlySpan<byte>, ArenaSlot>
    {
        public bool Equals(ArenaSlot x, ArenaSlot y) => arena[x].SequenceEqual(arena[y]);

        public int GetHashCode(ArenaSlot obj) => Hash(arena[obj]);

        public bool Equals(ReadOnlySpan<byte> alternate, ArenaSlot other) => alternate.SequenceEqual(arena[other]);

        public int GetHashCode(ReadOnlySpan<byte> alternate) => Hash(alternate);

        public ArenaSlot Create(ReadOnlySpan<byte> alternate) => arena.Append(alternate);

        private static int Hash(ReadOnlySpan<byte> bytes)
        {
            var hash = new HashCode();
            hash.AddBytes(bytes);
            return hash.ToHashCode();
        }
    }
}

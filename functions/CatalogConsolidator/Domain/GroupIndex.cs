namespace Pipelines.Catalog.Domain;

/// <summary>
/// Finds a state's group by (content type, accommodation id), looked up once per line. Groups are numbered in the order
/// they were added (the same numbers as in the <see cref="GroupStore"/>), and each number's key is kept in flat arrays.
/// An open-addressing table of (hash, number) pairs replaces a dictionary per content type: a lookup touches one
/// table slot and, only when the hashes match, the id it is compared with; growing reuses the stored hashes.
/// </summary>
internal sealed class GroupIndex
{
    private const int InitialCapacity = 1024;

    // Table slots: group number + 1 (0 = empty), and the hash it was stored under.
    private int[] _slots = new int[InitialCapacity];
    private int[] _hashes = new int[InitialCapacity];
    private string[] _ids = new string[InitialCapacity / 2];
    private int[] _contentTypeOf = new int[InitialCapacity / 2];
    private readonly List<string> _contentTypes = [];
    private readonly Dictionary<string, int> _contentTypeIds = new(StringComparer.Ordinal);
    private (string? Name, int Id, int Hash) _lastContentType;

    public int Count { get; private set; }

    /// <summary>Every content type seen, by its id (see <see cref="ContentTypeIdOf"/>).</summary>
    public IReadOnlyList<string> ContentTypes => _contentTypes;

    public string AccommodationIdOf(int group) => _ids[group];

    public int ContentTypeIdOf(int group) => _contentTypeOf[group];

    /// <summary>The number of the group for the key; a new key gets the next number (<paramref name="added"/>).</summary>
    public int FindOrAdd(string contentType, ReadOnlySpan<char> accommodationId, out bool added)
    {
        var (contentTypeId, contentTypeHash) = ContentTypeIdFor(contentType);
        // Randomised string hashing, so partner data cannot be crafted to collide.
        var hash = HashCode.Combine(contentTypeHash, string.GetHashCode(accommodationId));
        var mask = _slots.Length - 1;
        var i = hash & mask;
        while (true)
        {
            var slot = _slots[i];
            if (slot == 0) break;
            var group = slot - 1;
            if (_hashes[i] == hash && _contentTypeOf[group] == contentTypeId && accommodationId.SequenceEqual(_ids[group]))
            {
                added = false;
                return group;
            }
            i = (i + 1) & mask;
        }

        var number = Count++;
        if (number == _ids.Length)
        {
            Array.Resize(ref _ids, _ids.Length * 2);
            Array.Resize(ref _contentTypeOf, _contentTypeOf.Length * 2);
        }
        _ids[number] = accommodationId.ToString();
        _contentTypeOf[number] = contentTypeId;
        _slots[i] = number + 1;
        _hashes[i] = hash;
        // At most half full, so probe runs stay short.
        if (2 * Count > _slots.Length) Rehash(_slots.Length * 2);
        added = true;
        return number;
    }

    /// <summary>Forgets the groups numbered <paramref name="count"/> and up (the last ones added).</summary>
    public void Truncate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)count, (uint)Count, nameof(count));
        Array.Clear(_ids, count, Count - count);
        for (var i = 0; i < _slots.Length; i++)
            if (_slots[i] > count) _slots[i] = 0;
        Count = count;
        // Emptied slots would cut other keys' probe runs short: place every remaining key again.
        Rehash(_slots.Length);
    }

    private (int Id, int Hash) ContentTypeIdFor(string contentType)
    {
        // The parser shares one string per content type, so lines mostly repeat one of a few references.
        if (ReferenceEquals(_lastContentType.Name, contentType)) return (_lastContentType.Id, _lastContentType.Hash);
        if (!_contentTypeIds.TryGetValue(contentType, out var id))
        {
            id = _contentTypes.Count;
            _contentTypes.Add(contentType);
            _contentTypeIds.Add(contentType, id);
        }
        _lastContentType = (contentType, id, string.GetHashCode(contentType.AsSpan()));
        return (id, _lastContentType.Hash);
    }

    private void Rehash(int capacity)
    {
        var (oldSlots, oldHashes) = (_slots, _hashes);
        _slots = new int[capacity];
        _hashes = new int[capacity];
        var mask = capacity - 1;
        for (var k = 0; k < oldSlots.Length; k++)
        {
            if (oldSlots[k] == 0) continue;
            var i = oldHashes[k] & mask;
            while (_slots[i] != 0) i = (i + 1) & mask;
            _slots[i] = oldSlots[k];
            _hashes[i] = oldHashes[k];
        }
    }
}

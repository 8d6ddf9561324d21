using System.Runtime.CompilerServices;

namespace Pipelines.Catalog.Domain;

/// <summary>
/// Finds a state's group by (content type, accommodation id), looked up once per line. Groups are numbered in the order
/// they were added (the same numbers as in the <see cref="GroupStore"/>), and each number's key is kept in a flat array:
/// its content type, the id's length and <see cref="IdHead"/>, and where the id's characters are in an
/// <see cref="AccommodationIdStore"/>. An open-addressing table of (hash, number) pairs replaces a dictionary per content
/// type. A lookup touches one table slot and, only when the hashes match, the key it is compared with; the usual id
/// (ASCII, at most 16 characters) is told apart by its head alone, and no id becomes a string.
/// </summary>
internal sealed class GroupIndex
{
    private const int InitialCapacity = 1024;

    /// <summary>Bytes per table slot and per key, for <see cref="StateReserve"/>'s limit.</summary>
    internal static readonly int SlotBytes = Unsafe.SizeOf<Slot>();
    internal static readonly int KeyBytes = Unsafe.SizeOf<Key>();

    private Slot[] _slots;
    private Key[] _keys;
    private readonly AccommodationIdStore _ids = new();
    private readonly List<string> _contentTypes = [];
    private readonly Dictionary<string, int> _contentTypeIds = new(StringComparer.Ordinal);
    private (string? Name, int Id, int Hash) _lastContentType;

    /// <summary>A table slot: group number + 1 (0 = empty) and the hash it was stored under, side by side so a probe reads one place.</summary>
    internal struct Slot
    {
        public int Hash;
        public int GroupPlusOne;
    }

    internal struct Key
    {
        public ulong High;
        public ulong Low;
        public int ContentType;
        public int Length;
        public long IdAt;
    }

    /// <summary>An empty index, in <paramref name="reused"/> arrays if given (a previous index's, its table cleared).</summary>
    public GroupIndex(Slot[]? reusedSlots = null, Key[]? reusedKeys = null)
    {
        _slots = reusedSlots ?? new Slot[InitialCapacity];
        _keys = reusedKeys ?? new Key[InitialCapacity / 2];
    }

    public int Count { get; private set; }

    /// <summary>Every content type seen, by its id (see <see cref="ContentTypeIdOf"/>).</summary>
    public IReadOnlyList<string> ContentTypes => _contentTypes;

    /// <summary>The group's id (valid until <see cref="Truncate"/> forgets the group).</summary>
    public ReadOnlySpan<char> AccommodationIdOf(int group)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)group, (uint)Count, nameof(group));
        return _ids.Get(_keys[group].IdAt, _keys[group].Length);
    }

    /// <summary>The <see cref="IdHead"/> of the group's id.</summary>
    public (ulong High, ulong Low) IdHeadOf(int group)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)group, (uint)Count, nameof(group));
        return (_keys[group].High, _keys[group].Low);
    }

    public int ContentTypeIdOf(int group)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)group, (uint)Count, nameof(group));
        return _keys[group].ContentType;
    }

    /// <summary>The number of the group for the key; a new key gets the next number (<paramref name="added"/>).</summary>
    public int FindOrAdd(string contentType, ReadOnlySpan<char> accommodationId, out bool added)
    {
        var (contentTypeId, contentTypeHash) = ContentTypeIdFor(contentType);
        var head = IdHead.Of(accommodationId);
        // Randomised hashing (HashCode and string hashes are seeded per process), so partner data cannot be crafted to
        // collide. An exact head is the whole id, so hashing it stands for hashing the characters.
        var hash = head.Exact
            ? HashCode.Combine(contentTypeHash, head.High, head.Low, accommodationId.Length)
            : HashCode.Combine(contentTypeHash, string.GetHashCode(accommodationId));
        var mask = _slots.Length - 1;
        var i = hash & mask;
        while (true)
        {
            var slot = _slots[i];
            if (slot.GroupPlusOne == 0) break;
            if (slot.Hash == hash && Matches(slot.GroupPlusOne - 1, contentTypeId, head, accommodationId))
            {
                added = false;
                return slot.GroupPlusOne - 1;
            }
            i = (i + 1) & mask;
        }

        var number = Count++;
        if (number == _keys.Length) Array.Resize(ref _keys, _keys.Length * 2);
        _keys[number] = new Key
        {
            High = head.High,
            Low = head.Low,
            ContentType = contentTypeId,
            Length = accommodationId.Length,
            IdAt = _ids.Add(accommodationId),
        };
        _slots[i] = new Slot { Hash = hash, GroupPlusOne = number + 1 };
        // At most half full, so probe runs stay short.
        if (2 * Count > _slots.Length) Rehash(_slots.Length * 2);
        added = true;
        return number;
    }

    /// <summary>Forgets the groups numbered <paramref name="count"/> and up (the last ones added).</summary>
    public void Truncate(int count)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan((uint)count, (uint)Count, nameof(count));
        if (count == Count) return;
        _ids.TruncateTo(_keys[count].IdAt);
        Array.Clear(_keys, count, Count - count);
        for (var i = 0; i < _slots.Length; i++)
            if (_slots[i].GroupPlusOne > count) _slots[i] = default;
        Count = count;
        // Emptied slots would cut other keys' probe runs short: place every remaining key again.
        Rehash(_slots.Length);
    }

    /// <summary>
    /// Forgets every group and hands over the table and keys (for another index): the index is empty afterwards, with
    /// small arrays of its own. Call it once the groups' keys are no longer read.
    /// </summary>
    public (Slot[] Slots, Key[] Keys) Release()
    {
        var arrays = (_slots, _keys);
        _slots = new Slot[InitialCapacity];
        _keys = new Key[InitialCapacity / 2];
        _ids.Clear();
        Count = 0;
        return arrays;
    }

    private bool Matches(int group, int contentTypeId, IdHead head, ReadOnlySpan<char> accommodationId)
    {
        ref readonly var key = ref _keys[group];
        if (key.ContentType != contentTypeId || key.High != head.High || key.Low != head.Low || key.Length != accommodationId.Length) return false;
        return head.Exact || _ids.Get(key.IdAt, key.Length).SequenceEqual(accommodationId);
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
        var old = _slots;
        _slots = new Slot[capacity];
        var mask = capacity - 1;
        foreach (var slot in old)
        {
            if (slot.GroupPlusOne == 0) continue;
            var i = slot.Hash & mask;
            while (_slots[i].GroupPlusOne != 0) i = (i + 1) & mask;
            _slots[i] = slot;
        }
    }
}

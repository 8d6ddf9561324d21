namespace Pipelines.Catalog.Domain;

/// <summary>The best value seen so far for one field of an accommodation, and which contributor it came from.</summary>
internal struct FieldSlot
{
    public int NameId;
    /// <summary>Position of the field in its record, to keep the partner's field order on output.</summary>
    public int Position;
    /// <summary>Index into <see cref="AccommodationGroup.Contributors"/>.</summary>
    public int Contributor;
    public bool IsNull;
    public byte[] Value;
}

/// <summary>
/// Everything the output needs for one (content_type, accommodation_id): per field, the value from the best-ranked
/// record that has it (a JSON null counts as "lacking" the field when another record has a value). That equals
/// "the winner, with fields it lacks filled from the next records in priority order", but keeps memory proportional
/// to the number of fields, not the number of records seen.
/// </summary>
internal sealed class AccommodationGroup(string contentType, string accommodationId)
{
    private FieldSlot[] _slots = [];
    private int _slotCount;
    private Contribution[] _contributors = [];
    private int _contributorCount;
    private int[] _messages = new int[1];
    private int _messageCount;
    private bool _hasWinner;

    public string ContentType { get; } = contentType;
    public string AccommodationId { get; } = accommodationId;
    public Contribution Winner { get; private set; }
    public ReadOnlySpan<FieldSlot> Slots => _slots.AsSpan(0, _slotCount);
    /// <summary>Records that supplied a field at some point (some may since have been outranked on every field).</summary>
    public ReadOnlySpan<Contribution> Contributors => _contributors.AsSpan(0, _contributorCount);
    /// <summary>Indices (within the batch) of the messages whose records reached this group, ascending.</summary>
    public ReadOnlySpan<int> Messages => _messages.AsSpan(0, _messageCount);

    /// <summary>Considers one parsed record (its fields point into <paramref name="line"/>).</summary>
    public void Offer(in Contribution from, ReadOnlySpan<byte> line, ReadOnlySpan<FieldToken> fields)
    {
        ConsiderWinner(from);
        AddMessage(from.MessageIndex);
        if (_slots.Length == 0) _slots = new FieldSlot[Math.Max(1, fields.Length)];
        var contributor = -1;
        for (var i = 0; i < fields.Length; i++)
        {
            var f = fields[i];
            var at = IndexOf(f.NameId);
            if (at >= 0 && !Beats(f.IsNull, from, _slots[at])) continue;
            if (contributor < 0) contributor = AddContributor(from);
            Put(at, new FieldSlot
            {
                NameId = f.NameId,
                Position = i,
                Contributor = contributor,
                IsNull = f.IsNull,
                Value = line.Slice(f.ValueStart, f.ValueLength).ToArray(),
            });
        }
    }

    /// <summary>Folds in another group for the same accommodation (a finished message's staging state).</summary>
    public void MergeFrom(AccommodationGroup other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other._hasWinner) ConsiderWinner(other.Winner);
        foreach (var m in other.Messages) AddMessage(m);
        if (_contributorCount > _slotCount) CompactContributors();
        Span<int> mapped = other._contributorCount <= 64 ? stackalloc int[other._contributorCount] : new int[other._contributorCount];
        mapped.Fill(-1);
        foreach (var s in other.Slots)
        {
            var at = IndexOf(s.NameId);
            var from = other._contributors[s.Contributor];
            if (at >= 0 && !Beats(s.IsNull, from, _slots[at])) continue;
            // No compaction mid-merge: it would renumber contributors already mapped.
            if (mapped[s.Contributor] < 0) mapped[s.Contributor] = AddContributor(from, mayCompact: false);
            var moved = s;
            moved.Contributor = mapped[s.Contributor];
            Put(at, moved);
        }
    }

    private bool Beats(bool isNull, in Contribution from, in FieldSlot current) =>
        isNull != current.IsNull ? !isNull : from.Outranks(_contributors[current.Contributor]);

    private void ConsiderWinner(in Contribution c)
    {
        if (_hasWinner && !c.Outranks(Winner)) return;
        Winner = c;
        _hasWinner = true;
    }

    private int IndexOf(int nameId)
    {
        for (var i = 0; i < _slotCount; i++)
            if (_slots[i].NameId == nameId) return i;
        return -1;
    }

    private void Put(int at, in FieldSlot slot)
    {
        if (at >= 0)
        {
            _slots[at] = slot;
            return;
        }
        if (_slotCount == _slots.Length) Array.Resize(ref _slots, Math.Max(4, _slots.Length * 2));
        _slots[_slotCount++] = slot;
    }

    private int AddContributor(in Contribution c, bool mayCompact = true)
    {
        // Records outranked on every field are dropped before growing, so a group's size follows its fields, not its records.
        if (mayCompact && _contributorCount == _contributors.Length && _contributorCount > _slotCount) CompactContributors();
        if (_contributorCount == _contributors.Length) Array.Resize(ref _contributors, Math.Max(2, _contributors.Length * 2));
        _contributors[_contributorCount] = c;
        return _contributorCount++;
    }

    private void CompactContributors()
    {
        Span<int> remap = _contributorCount <= 64 ? stackalloc int[_contributorCount] : new int[_contributorCount];
        remap.Fill(-1);
        var kept = new Contribution[_contributors.Length];
        var count = 0;
        for (var i = 0; i < _slotCount; i++)
        {
            ref var slot = ref _slots[i];
            if (remap[slot.Contributor] < 0)
            {
                kept[count] = _contributors[slot.Contributor];
                remap[slot.Contributor] = count++;
            }
            slot.Contributor = remap[slot.Contributor];
        }
        _contributors = kept;
        _contributorCount = count;
    }

    private void AddMessage(int message)
    {
        var at = _messages.AsSpan(0, _messageCount).BinarySearch(message);
        if (at >= 0) return;
        at = ~at;
        if (_messageCount == _messages.Length) Array.Resize(ref _messages, _messages.Length * 2);
        Array.Copy(_messages, at, _messages, at + 1, _messageCount - at);
        _messages[at] = message;
        _messageCount++;
    }
}

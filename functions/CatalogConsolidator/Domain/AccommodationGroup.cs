using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Pipelines.Catalog.Domain;

/// <summary>
/// Everything the output needs for one (content_type, accommodation_id): per field, the value from the best-ranked
/// record that has it (a JSON null counts as "lacking" the field when another record has a value). That equals
/// "the winner, with fields it lacks filled from the next records in priority order", but keeps memory proportional
/// to the number of fields, not the number of records seen.
/// </summary>
/// <remarks>
/// The group's tables (its contributors and field slots) and its values live in the invocation's
/// <see cref="ValueArena"/>, passed to every member that reads them, and the group itself is a struct kept in a
/// <see cref="GroupStore"/>: a batch's hundreds of thousands of groups would otherwise be millions of small objects
/// for the GC to copy on every promotion, which dominated the run time. A table that must grow moves to a new block
/// and its old one is released to the arena for reuse. The group's key (content type, id) is held by its state.
/// Members that change it must be called on the stored group (by reference), never on a copy.
/// </remarks>
internal struct AccommodationGroup
{
    private const int Loses = -2;
    private static readonly int ContributorSize = Unsafe.SizeOf<Contributor>();
    private static readonly int SlotSize = Unsafe.SizeOf<FieldSlot>();

    // One block: [Contributor x _contributorCapacity][FieldSlot x _slotCapacity].
    private ArenaBlock _table;
    private int _contributorCapacity;
    private int _contributorCount;
    private int _slotCapacity;
    private int _slotCount;
    // Most accommodations come from one message: keep that one inline and allocate a list only for a second.
    private int _onlyMessage;
    private int[]? _messages;
    private int _messageCount;

    public readonly int SlotCount => _slotCount;
    public readonly int ContributorCount => _contributorCount;

    /// <summary>Indices (within the batch) of the messages whose records reached this group, ascending.</summary>
    [UnscopedRef]
    public readonly ReadOnlySpan<int> Messages =>
        _messages is not null ? _messages.AsSpan(0, _messageCount) : _messageCount == 0 ? [] : new ReadOnlySpan<int>(in _onlyMessage);

    /// <summary>The best value per field (read while <paramref name="arena"/> holds the group).</summary>
    public readonly ReadOnlySpan<FieldSlot> Slots(ValueArena arena) => SlotTable(arena)[.._slotCount];

    /// <summary>Records that supplied a field at some point (some may since have been outranked on every field).</summary>
    public readonly ReadOnlySpan<Contributor> Contributors(ValueArena arena) => ContributorTable(arena)[.._contributorCount];

    /// <summary>
    /// The best record offered. It is always among the contributors: its partner_id is a required non-null string,
    /// which only a better record could take from it, so it keeps at least that field.
    /// </summary>
    public readonly Contribution Winner(ValueArena arena)
    {
        var contributors = Contributors(arena);
        var best = contributors[0].Record;
        foreach (var c in contributors[1..])
            if (c.Record.Outranks(best)) best = c.Record;
        return best;
    }

    /// <summary>The bytes of <paramref name="slot"/>'s value.</summary>
    public readonly ReadOnlySpan<byte> ValueOf(in FieldSlot slot, ValueArena arena) =>
        arena.Read(ContributorTable(arena)[slot.Contributor].Values, slot.Offset, slot.Length);

    /// <summary>Arena bytes this group still uses: its table and its values (the rest of its blocks is waste).</summary>
    public readonly long LiveBytes(ValueArena arena)
    {
        long sum = _contributorCount * ContributorSize + _slotCount * SlotSize;
        foreach (var s in Slots(arena)) sum += s.Length;
        return sum;
    }

    /// <summary>Considers one parsed record (its fields point into <paramref name="line"/>); winning values are copied to <paramref name="arena"/>.</summary>
    public void Offer(in Contribution from, ReadOnlySpan<byte> line, ReadOnlySpan<FieldToken> fields, ValueArena arena)
    {
        ArgumentNullException.ThrowIfNull(arena);
        AddMessage(from.MessageIndex);
        if (_slotCount == 0)
        {
            TakeAll(from, line, fields, arena);
            return;
        }

        // First pass: which fields this record wins, and how many bytes their values need (one block per record).
        int[]? rented = null;
        var targets = fields.Length <= 64 ? stackalloc int[fields.Length] : (rented = ArrayPool<int>.Shared.Rent(fields.Length)).AsSpan(0, fields.Length);
        try
        {
            var slots = Slots(arena);
            var contributors = Contributors(arena);
            var bytes = 0;
            var newFields = 0;
            for (var i = 0; i < fields.Length; i++)
            {
                var f = fields[i];
                var at = IndexOf(slots, f.NameId);
                targets[i] = at >= 0 && !Beats(f.IsNull, from, slots[at], contributors) ? Loses : at;
                if (targets[i] != Loses) bytes += f.ValueLength;
                if (at < 0) newFields++;
            }
            if (bytes == 0) return;

            // Slot indices in targets stay valid: compaction renumbers contributors only, growth copies slots in order.
            MakeRoom(arena, 1, _slotCount + newFields);
            var block = arena.Reserve(bytes, out var destination);
            var contributor = _contributorCount++;
            ContributorTable(arena)[contributor] = new Contributor(from, block);
            var table = SlotTable(arena);
            var offset = 0;
            for (var i = 0; i < fields.Length; i++)
            {
                if (targets[i] == Loses) continue;
                var f = fields[i];
                line.Slice(f.ValueStart, f.ValueLength).CopyTo(destination[offset..]);
                Put(table, targets[i], new FieldSlot(f.NameId, contributor, offset, f.ValueLength, f.IsNull));
                offset += f.ValueLength;
            }
        }
        finally
        {
            if (rented is not null) ArrayPool<int>.Shared.Return(rented);
        }
    }

    /// <summary>Whether a record of message <paramref name="message"/> reached this group.</summary>
    public readonly bool HasMessage(int message) =>
        _messages is not null ? _messages.AsSpan(0, _messageCount).BinarySearch(message) >= 0 : _messageCount > 0 && _onlyMessage == message;

    /// <summary>
    /// A copy that later changes to this group cannot reach: its own table block and message list. The values its slots
    /// point at are shared, which is safe because value blocks are never reused while the arena lives.
    /// </summary>
    public readonly AccommodationGroup CopyForUndo(ValueArena arena)
    {
        ArgumentNullException.ThrowIfNull(arena);
        var copy = this;
        if (_messages is not null) copy._messages = _messages.AsSpan(0, _messageCount).ToArray();
        var size = TableSize;
        if (size > 0)
        {
            copy._table = arena.Reserve(size, out var destination);
            arena.Read(_table, 0, size).CopyTo(destination);
        }
        return copy;
    }

    /// <summary>Gives the table block back to the arena; the group is not to be used afterwards.</summary>
    public readonly void ReleaseTable(ValueArena arena)
    {
        ArgumentNullException.ThrowIfNull(arena);
        var size = TableSize;
        if (size > 0) arena.Release(_table, size);
    }

    /// <summary>Copies the table and the values still in use from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public void MoveValues(ValueArena from, ValueArena to)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        CompactContributors(from);
        var oldContributors = Contributors(from);
        var oldSlots = Slots(from);
        var table = to.Reserve(_contributorCount * ContributorSize + _slotCount * SlotSize, out _);
        (_table, _contributorCapacity, _slotCapacity) = (table, _contributorCount, _slotCount);
        var contributors = ContributorTable(to);
        var slots = SlotTable(to);
        oldContributors.CopyTo(contributors);
        oldSlots.CopyTo(slots);

        // Slots by contributor, then offset: copying in that order keeps each contributor's fields in record order.
        var keys = new long[_slotCount];
        var order = new int[_slotCount];
        for (var i = 0; i < _slotCount; i++)
        {
            keys[i] = ((long)slots[i].Contributor << 32) | (uint)slots[i].Offset;
            order[i] = i;
        }
        Array.Sort(keys, order);
        for (var start = 0; start < order.Length;)
        {
            var contributor = slots[order[start]].Contributor;
            var end = start;
            var bytes = 0;
            while (end < order.Length && slots[order[end]].Contributor == contributor) bytes += slots[order[end++]].Length;
            var block = to.Reserve(bytes, out var destination);
            var offset = 0;
            for (var k = start; k < end; k++)
            {
                ref var slot = ref slots[order[k]];
                from.Read(oldContributors[contributor].Values, slot.Offset, slot.Length).CopyTo(destination[offset..]);
                slot.Offset = offset;
                offset += slot.Length;
            }
            contributors[contributor] = contributors[contributor] with { Values = block };
            start = end;
        }
    }

    private void TakeAll(in Contribution from, ReadOnlySpan<byte> line, ReadOnlySpan<FieldToken> fields, ValueArena arena)
    {
        var bytes = 0;
        foreach (var f in fields) bytes += f.ValueLength;
        MakeRoom(arena, 1, fields.Length);
        var block = arena.Reserve(bytes, out var destination);
        ContributorTable(arena)[0] = new Contributor(from, block);
        _contributorCount = 1;
        var slots = SlotTable(arena);
        var offset = 0;
        foreach (var f in fields)
        {
            line.Slice(f.ValueStart, f.ValueLength).CopyTo(destination[offset..]);
            slots[_slotCount++] = new FieldSlot(f.NameId, 0, offset, f.ValueLength, f.IsNull);
            offset += f.ValueLength;
        }
    }

    private readonly Span<Contributor> ContributorTable(ValueArena arena) =>
        MemoryMarshal.Cast<byte, Contributor>(arena.Bytes(_table, 0, _contributorCapacity * ContributorSize));

    private readonly Span<FieldSlot> SlotTable(ValueArena arena) =>
        MemoryMarshal.Cast<byte, FieldSlot>(arena.Bytes(_table, _contributorCapacity * ContributorSize, _slotCapacity * SlotSize));

    /// <summary>
    /// Ensures room for <paramref name="moreContributors"/> more contributors and <paramref name="slots"/> slots in all.
    /// Records outranked on every field are dropped first, so a group's size follows its fields, not its records.
    /// </summary>
    private void MakeRoom(ValueArena arena, int moreContributors, int slots)
    {
        if (_contributorCount + moreContributors > _contributorCapacity && _contributorCount > 0) CompactContributors(arena);
        var contributors = _contributorCount + moreContributors;
        if (contributors <= _contributorCapacity && slots <= _slotCapacity) return;
        // Contributors double (a group sees few records); slots grow to exactly what is needed, as most of a group's size.
        var contributorCapacity = contributors <= _contributorCapacity ? _contributorCapacity : Math.Max(contributors, 2 * _contributorCapacity);
        var slotCapacity = Math.Max(slots, _slotCapacity);
        var (oldTable, oldSize) = (_table, TableSize);
        var oldContributors = Contributors(arena);
        var oldSlots = Slots(arena);
        var table = arena.Reserve(contributorCapacity * ContributorSize + slotCapacity * SlotSize, out _);
        (_table, _contributorCapacity, _slotCapacity) = (table, contributorCapacity, slotCapacity);
        oldContributors.CopyTo(ContributorTable(arena));
        oldSlots.CopyTo(SlotTable(arena));
        if (oldSize > 0) arena.Release(oldTable, oldSize);
    }

    private readonly int TableSize => _contributorCapacity * ContributorSize + _slotCapacity * SlotSize;

    private static bool Beats(bool isNull, in Contribution from, in FieldSlot current, ReadOnlySpan<Contributor> contributors) =>
        isNull != current.IsNull ? !isNull : from.Outranks(contributors[current.Contributor].Record);

    private static int IndexOf(ReadOnlySpan<FieldSlot> slots, int nameId)
    {
        for (var i = 0; i < slots.Length; i++)
            if (slots[i].NameId == nameId) return i;
        return -1;
    }

    /// <summary>Replaces slot <paramref name="at"/>, or appends when it is -1 (room was made beforehand).</summary>
    private void Put(Span<FieldSlot> table, int at, in FieldSlot slot)
    {
        if (at >= 0) table[at] = slot;
        else table[_slotCount++] = slot;
    }

    /// <summary>Drops contributors no slot refers to any more, in place (their order carries no meaning).</summary>
    private void CompactContributors(ValueArena arena)
    {
        var contributors = ContributorTable(arena);
        var slots = SlotTable(arena)[.._slotCount];
        Span<int> remap = _contributorCount <= 64 ? stackalloc int[_contributorCount] : new int[_contributorCount];
        remap.Clear();
        foreach (var slot in slots) remap[slot.Contributor] = 1;
        var count = 0;
        for (var i = 0; i < _contributorCount; i++)
        {
            if (remap[i] == 0) continue;
            contributors[count] = contributors[i];
            remap[i] = count++;
        }
        foreach (ref var slot in slots) slot.Contributor = remap[slot.Contributor];
        _contributorCount = count;
    }

    private void AddMessage(int message)
    {
        if (_messageCount == 0)
        {
            _onlyMessage = message;
            _messageCount = 1;
            return;
        }
        if (_messages is null)
        {
            if (message == _onlyMessage) return;
            _messages = message < _onlyMessage ? [message, _onlyMessage] : [_onlyMessage, message];
            _messageCount = 2;
            return;
        }
        var at = _messages.AsSpan(0, _messageCount).BinarySearch(message);
        if (at >= 0) return;
        at = ~at;
        if (_messageCount == _messages.Length) Array.Resize(ref _messages, _messages.Length * 2);
        Array.Copy(_messages, at, _messages, at + 1, _messageCount - at);
        _messages[at] = message;
        _messageCount++;
    }
}

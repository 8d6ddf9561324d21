namespace Pipelines.Catalog.Domain;

/// <summary>
/// Keeps the largest arrays of a finished <see cref="ConsolidationState"/> (its group index's table and keys, its
/// group chunks) for the next invocation's state, as the arena's chunks are kept: the next state starts at the size the
/// last batch needed instead of growing up to it again, which page-faulted fresh memory and left each outgrown array
/// as garbage. Holds one set at a time, and none larger than <see cref="MaxIdleBytes"/>, so an idle container keeps
/// little.
/// </summary>
internal sealed class StateReserve(long maxIdleBytes)
{
    private Arrays? _held;

    /// <summary>The most this keeps while no state uses it.</summary>
    public long MaxIdleBytes { get; } = maxIdleBytes;

    /// <summary>Arrays ready to use (an empty table, cleared group chunks), or null when nothing is held.</summary>
    internal Arrays? Take() => Interlocked.Exchange(ref _held, null);

    /// <summary>Keeps <paramref name="arrays"/> if within the limit, cleared first so they are ready to use.</summary>
    internal void Give(Arrays arrays)
    {
        if (arrays.Bytes > MaxIdleBytes) return;
        var held = Volatile.Read(ref _held);
        // The larger set is kept: it is what a batch as large as the last one needs.
        if (held is not null && held.Bytes >= arrays.Bytes) return;
        Array.Clear(arrays.Slots);
        // Groups hold references (their message lists): cleared, so a kept chunk keeps nothing else alive.
        foreach (var chunk in arrays.GroupChunks) Array.Clear(chunk);
        Interlocked.CompareExchange(ref _held, arrays, held);
    }

    /// <summary>A state's arrays: the index's table and keys (keys need no clearing: a key is written before it is read).</summary>
    internal sealed record Arrays(GroupIndex.Slot[] Slots, GroupIndex.Key[] Keys, IReadOnlyList<AccommodationGroup[]> GroupChunks)
    {
        public long Bytes =>
            (long)Slots.Length * GroupIndex.SlotBytes + (long)Keys.Length * GroupIndex.KeyBytes + (long)GroupChunks.Count * GroupStore.ChunkBytes;
    }
}

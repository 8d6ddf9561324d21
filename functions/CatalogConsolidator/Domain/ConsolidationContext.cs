using System.Buffers;

namespace Pipelines.Catalog.Domain;

/// <summary>
/// What every record of one invocation is judged against (the priority rules, the objects, the interned names) and the
/// arena its field values are kept in. One per invocation: every state of the invocation shares it, and disposing it
/// returns the arena's chunks, so it must outlive the last read of a value (the spooling of the output).
/// </summary>
internal sealed class ConsolidationContext(
    PartnerPriorityBook priorities,
    IReadOnlyList<SourceObject> sources,
    ArrayPool<byte>? pool = null,
    int chunkSize = ValueArena.DefaultChunkSize) : IDisposable
{
    public PartnerPriorityBook Priorities { get; } = priorities;
    /// <summary>Indexed by <see cref="SourceObject.Ordinal"/>.</summary>
    public IReadOnlyList<SourceObject> Sources { get; } = sources;
    public FieldNameTable FieldNames { get; } = new();
    public InternTable PartnerIds { get; } = new();

    /// <summary>Where field values are copied; replaced (and the old one released) when its waste is compacted away.</summary>
    public ValueArena Values { get; private set; } = new(pool, chunkSize);

    /// <summary>Where the states take their large arrays from and give them back to (none: each allocates its own).</summary>
    public StateReserve? Reserve { get; init; }

    /// <summary>Waste (values no longer referenced) below which compacting is not worth a pass over every group.</summary>
    public long MinimumWasteToCompact { get; init; } = 64L << 20;

    /// <summary>A new, empty arena drawing from the same pool; <see cref="ReplaceValues"/> makes it current.</summary>
    public ValueArena NewArena() => new(pool, chunkSize);

    /// <summary>Makes <paramref name="values"/> the arena and releases the previous one (all its values must have been moved).</summary>
    public void ReplaceValues(ValueArena values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var old = Values;
        Values = values;
        old.Dispose();
    }

    public void Dispose() => Values.Dispose();
}

namespace Pipelines.Catalog.Domain;

/// <summary>What every record of one invocation is judged against: the priority rules, the objects, and the interned names.</summary>
internal sealed class ConsolidationContext(PartnerPriorityBook priorities, IReadOnlyList<SourceObject> sources)
{
    public PartnerPriorityBook Priorities { get; } = priorities;
    /// <summary>Indexed by <see cref="SourceObject.Ordinal"/>.</summary>
    public IReadOnlyList<SourceObject> Sources { get; } = sources;
    public FieldNameTable FieldNames { get; } = new();
    public InternTable PartnerIds { get; } = new();
}

using Pipelines.Catalog.Domain;

namespace Pipelines.Catalog.Processing;

/// <summary>
/// The consolidation side of one invocation: its context (and value arena), the batch's state and the line parser.
/// Set up only once a message has objects to read, because it needs the partner priorities. Disposing it releases
/// the arena, so it must stay alive until the output has been spooled.
/// </summary>
internal sealed class BatchConsolidation : IDisposable
{
    public BatchConsolidation(PartnerPriorityBook priorities, IReadOnlyList<SourceObject> sources)
    {
        Context = new ConsolidationContext(priorities, sources);
        Batch = new ConsolidationState(Context);
        Staging = new ConsolidationState(Context);
        Parser = new CatalogLineParser(Context.FieldNames);
    }

    public ConsolidationContext Context { get; }

    /// <summary>Every record of the messages read completely so far.</summary>
    public ConsolidationState Batch { get; }

    /// <summary>The records of the message being read; they join <see cref="Batch"/> only once it was read completely.</summary>
    public ConsolidationState Staging { get; }

    public CatalogLineParser Parser { get; }

    /// <summary>Folds the message just read into the batch (emptying <see cref="Staging"/> for the next one).</summary>
    public void CommitStaging()
    {
        Batch.MergeFrom(Staging);
        // Between messages only the batch holds values, so this is where the arena can be compacted if mostly waste.
        Batch.CompactValuesIfWasteful();
    }

    /// <summary>Drops what the message being read had gathered: it failed and will be redelivered.</summary>
    public void DiscardStaging() => Staging.Clear();

    public void Dispose()
    {
        Parser.Dispose();
        Context.Dispose();
    }
}

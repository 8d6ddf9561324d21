using System.Buffers;
using Pipelines.Catalog.Domain;

namespace Pipelines.Catalog.Processing;

/// <summary>
/// The consolidation side of one invocation: its context (and value arena), the batch's state and the line parser.
/// Set up only once a message has objects to read, because it needs the partner priorities. Disposing it releases
/// the arena, so it must stay alive until the output has been spooled.
/// </summary>
internal sealed class BatchConsolidation : IDisposable
{
    /// <summary>Most arena chunks the container keeps between invocations (256 MB).</summary>
    public const int MaxIdleArenaChunks = 256;

    /// <summary>
    /// Where every invocation's arena takes its chunks from and returns them to. They outlive the invocation: the next
    /// one fills memory already committed and mapped instead of allocating (and page-faulting) a few hundred fresh 1 MB
    /// arrays. The cost: up to <see cref="MaxIdleArenaChunks"/> MB stay held while the container is idle.
    /// </summary>
    internal static ArrayPool<byte> ArenaChunks { get; } = ArrayPool<byte>.Create(ValueArena.DefaultChunkSize, MaxIdleArenaChunks);

    /// <summary>Most the container keeps of a batch's group index and groups between invocations (48 MB: a batch of up to 524,288 accommodations).</summary>
    public const long MaxIdleStateBytes = 48L << 20;

    /// <summary>
    /// The batch state's group index (table, keys) and group chunks, kept like the arena's chunks: the next invocation's
    /// state starts at the size the last one reached instead of growing up to it (page faults, outgrown arrays as garbage).
    /// </summary>
    internal static StateReserve StateArrays { get; } = new(MaxIdleStateBytes);

    public BatchConsolidation(PartnerPriorityBook priorities, IReadOnlyList<SourceObject> sources)
    {
        Context = new ConsolidationContext(priorities, sources, ArenaChunks) { Reserve = StateArrays };
        Batch = new ConsolidationState(Context);
        Parser = new CatalogLineParser(Context.FieldNames);
    }

    public ConsolidationContext Context { get; }

    /// <summary>Every record of the messages read completely so far, plus those of the message being read.</summary>
    public ConsolidationState Batch { get; }

    public CatalogLineParser Parser { get; }

    /// <summary>Starts reading a message: its records join <see cref="Batch"/> but can be taken out again.</summary>
    public void BeginMessage() => Batch.BeginMessage();

    /// <summary>Keeps the message just read in the batch.</summary>
    public void CommitMessage()
    {
        Batch.CommitMessage();
        // Between messages is where the arena can be compacted if mostly waste.
        Batch.CompactValuesIfWasteful();
    }

    /// <summary>Takes out what the message being read had added: it failed and will be redelivered.</summary>
    public void DiscardMessage() => Batch.DiscardMessage();

    public void Dispose()
    {
        Parser.Dispose();
        Batch.Release();
        Context.Dispose();
    }
}

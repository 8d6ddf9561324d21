namespace Pipelines.Events.Archiving;

/// <summary>Mutable per-record state of one <see cref="ExactlyOnceArchiver"/> invocation.</summary>
internal sealed class ArchiveWork(ArchiveRecord record)
{
    public ArchiveRecord Record { get; } = record;

    public Domain.ArchiveKind? Kind { get; set; }

    public string? Placement { get; set; }

    /// <summary>Null while undecided; a record left undecided counts as failed (never acknowledged unproven).</summary>
    public RecordStatus? Status { get; set; }

    public void Fail() => Status = RecordStatus.Failed;

    /// <summary>Sequence order (shard, then sequence number): the order claims are made and objects are written in.</summary>
    public static Comparer<ArchiveWork> SequenceOrder { get; } = Comparer<ArchiveWork>.Create((a, b) => a.Record.Id.CompareTo(b.Record.Id));
}

using Pipelines.Events.Domain;

namespace Pipelines.Events.Archiving;

/// <summary>One (kind, type, date) group's object in step 3 of <see cref="ExactlyOnceArchiver"/>: its name, the
/// records it will hold (sequence order) and the plans still to save before it is put.</summary>
internal sealed class GroupPlan(ArchivePartition partition, List<ArchiveWork> members, string objectKey)
{
    public ArchivePartition Partition { get; } = partition;

    public List<ArchiveWork> Members { get; } = members;

    public string ObjectKey { get; } = objectKey;

    /// <summary>How many members are not yet planned into <see cref="ObjectKey"/> (all of them on a first delivery).</summary>
    public int Unsaved { get; set; }

    /// <summary>Whether an earlier attempt already planned <paramref name="member"/> into this object.</summary>
    public bool IsPlanned(ArchiveWork member) => string.Equals(member.Placement, ObjectKey, StringComparison.Ordinal);

    /// <summary>Why saving the plans failed (set once, by the first failed call carrying them); null while they are fine.</summary>
    public Exception? Error;
}

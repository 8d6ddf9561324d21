using System.Collections;

namespace Pipelines.Events.Archiving;

/// <summary>
/// One plan-saving call's placements: a slice of every group's unsaved records, each placement made when it is read.
/// A placement per record held in an array cost ~40 B per record for values the records and groups already hold.
/// </summary>
internal sealed class PlacementSlice(PlacementSlice.Source source, int start, int count) : IReadOnlyList<Placement>
{
    public int Count => count;

    public Placement this[int index]
    {
        get
        {
            ArgumentOutOfRangeException.ThrowIfNegative(index);
            ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
            var w = source.Work[start + index];
            var plan = source.Owners[start + index];
            return new Placement(w.Record.Event.UuidKey, w.Record.Id, plan.Partition.Kind, plan.ObjectKey);
        }
    }

    /// <summary>The group whose object the record at <paramref name="index"/> is planned into.</summary>
    public GroupPlan Owner(int index) => source.Owners[start + index];

    public IEnumerator<Placement> GetEnumerator()
    {
        for (var i = 0; i < count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The unsaved records of every group, in group order, with the group each belongs to.</summary>
    internal sealed class Source(int capacity)
    {
        public ArchiveWork[] Work { get; } = new ArchiveWork[capacity];

        public GroupPlan[] Owners { get; } = new GroupPlan[capacity];

        public int Count { get; private set; }

        public void Add(ArchiveWork work, GroupPlan owner)
        {
            Work[Count] = work;
            Owners[Count++] = owner;
        }
    }
}

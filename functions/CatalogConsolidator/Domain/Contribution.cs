using System.Runtime.InteropServices;

namespace Pipelines.Catalog.Domain;

/// <summary>
/// Where one record came from and how it ranks against the others for the same accommodation:
/// higher partner priority first (lower number), then the later <c>updated_at</c>, then the later object, then the later line.
/// </summary>
// Auto layout packs the two longs first: 32 bytes instead of 40, and every group holds at least two of these.
[StructLayout(LayoutKind.Auto)]
internal readonly record struct Contribution(int Priority, long UpdatedAtTicks, int ObjectOrdinal, long LineNumber, int PartnerId, int MessageIndex)
{
    public bool Outranks(in Contribution other)
    {
        if (Priority != other.Priority) return Priority < other.Priority;
        if (UpdatedAtTicks != other.UpdatedAtTicks) return UpdatedAtTicks > other.UpdatedAtTicks;
        if (ObjectOrdinal != other.ObjectOrdinal) return ObjectOrdinal > other.ObjectOrdinal;
        return LineNumber > other.LineNumber;
    }

    /// <summary>Orders best first.</summary>
    public static int CompareBestFirst(in Contribution a, in Contribution b) =>
        a.SameRecordAs(b) ? 0 : a.Outranks(b) ? -1 : 1;

    public bool SameRecordAs(in Contribution other) =>
        ObjectOrdinal == other.ObjectOrdinal && LineNumber == other.LineNumber && MessageIndex == other.MessageIndex;
}

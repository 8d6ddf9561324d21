using System.Runtime.InteropServices;

namespace Pipelines.Events.Archiving;

/// <summary>
/// A batch's records grouped by uuid, each group ("chain") in sequence order, laid out back to back in one array.
/// Almost every uuid appears once in a batch: such a chain is one record and costs one dictionary entry, where a
/// LINQ GroupBy/OrderBy/ToList chain cost a grouping, an ordering and a list per uuid.
/// </summary>
internal sealed class UuidChains
{
    private readonly ArchiveWork[] _ordered;
    private readonly int[] _starts; // chain c is _ordered[_starts[c] .. _starts[c + 1])

    private UuidChains(ArchiveWork[] ordered, int[] starts, int count)
    {
        _ordered = ordered;
        _starts = starts;
        Count = count;
    }

    public int Count { get; }

    /// <summary>Chain <paramref name="index"/>: the records of one uuid, earliest first.</summary>
    public ArraySegment<ArchiveWork> this[int index] =>
        new(_ordered, _starts[index], _starts[index + 1] - _starts[index]);

    public static UuidChains Of(ArchiveWork[] work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var chainOf = new int[work.Length];
        var sizes = new int[work.Length + 1];
        var chains = new Dictionary<string, int>(work.Length, StringComparer.Ordinal);
        for (var i = 0; i < work.Length; i++)
        {
            ref var chain = ref CollectionsMarshal.GetValueRefOrAddDefault(chains, work[i].Record.Event.UuidKey, out var seen);
            if (!seen) chain = chains.Count - 1;
            chainOf[i] = chain;
            sizes[chain + 1]++;
        }

        var count = chains.Count;
        var starts = sizes; // prefix sums in place: starts[c] = records in chains before c
        for (var c = 1; c <= count; c++) starts[c] += starts[c - 1];
        if (count == work.Length) return new UuidChains(work, starts, count); // every uuid once: batch order is chain order

        var ordered = new ArchiveWork[work.Length];
        var filled = new int[count];
        for (var i = 0; i < work.Length; i++)
        {
            var chain = chainOf[i];
            ordered[starts[chain] + filled[chain]++] = work[i];
        }
        for (var c = 0; c < count; c++)
        {
            var length = starts[c + 1] - starts[c];
            if (length > 1) Array.Sort(ordered, starts[c], length, ArchiveWork.SequenceOrder);
        }
        return new UuidChains(ordered, starts, count);
    }
}

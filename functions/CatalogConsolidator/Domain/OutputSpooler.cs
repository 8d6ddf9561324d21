using System.Globalization;

namespace Pipelines.Catalog.Domain;

/// <summary>One spooled output part and the day partition it belongs to.</summary>
internal sealed record OutputFile(DateOnly Date, SpooledFile File);

/// <summary>
/// Writes the consolidated accommodations to size-limited jsonl parts in a temp directory, one spool file per day
/// partition (the day of the winning record's source key, else the processing day). Records are sorted by
/// content type and accommodation id so the same input always produces byte-identical files.
/// </summary>
internal static class OutputSpooler
{
    public static IReadOnlyList<OutputFile> Write(ConsolidationState state, DateOnly processingDate, string directory, long maxFileBytes)
    {
        ArgumentNullException.ThrowIfNull(state);
        var ordered = Order(state, processingDate);

        var formatter = new ConsolidatedRecordFormatter(state.Context);
        var result = new List<OutputFile>();
        RollingJsonlWriter? writer = null;
        var current = -1;
        try
        {
            foreach (var entry in ordered)
            {
                if (writer is null || entry.Day != current)
                {
                    Flush(writer, current, result);
                    current = entry.Day;
                    writer = new RollingJsonlWriter(directory, "out-" + DateOnly.FromDayNumber(current).ToString("yyyyMMdd", CultureInfo.InvariantCulture), maxFileBytes);
                }
                formatter.Write(state.Group(entry.Index), writer);
            }
            Flush(writer, current, result);
            writer = null;
        }
        finally
        {
            writer?.Dispose();
        }
        return result;
    }

    /// <summary>
    /// One accommodation with its sort key: day partition, content type (as its ordinal rank), then id. The id's first
    /// 16 characters are also packed into two integers that order as the id does (<see cref="IdHead"/>), so most
    /// comparisons never reach the strings; equal heads fall back to comparing the ids. Comparable itself (rather than
    /// through an IComparer), so the sort calls the comparison directly instead of through a delegate.
    /// </summary>
    private readonly record struct Entry(int Day, int ContentTypeRank, ulong Head0, ulong Head1, string AccommodationId, int Index) : IComparable<Entry>
    {
        public int CompareTo(Entry other)
        {
            if (Day != other.Day) return Day.CompareTo(other.Day);
            if (ContentTypeRank != other.ContentTypeRank) return ContentTypeRank.CompareTo(other.ContentTypeRank);
            if (Head0 != other.Head0) return Head0.CompareTo(other.Head0);
            if (Head1 != other.Head1) return Head1.CompareTo(other.Head1);
            return string.CompareOrdinal(AccommodationId, other.AccommodationId);
        }
    }

    private static Entry[] Order(ConsolidationState state, DateOnly processingDate)
    {
        var sources = state.Context.Sources;
        var days = new int[sources.Count];
        for (var i = 0; i < days.Length; i++) days[i] = (sources[i].KeyDate ?? processingDate).DayNumber;
        var arena = state.Context.Values;
        // Content types sort by name: their ranks, by content type id.
        var contentTypes = state.ContentTypes;
        var byName = Enumerable.Range(0, contentTypes.Count).Order(Comparer<int>.Create((a, b) => string.CompareOrdinal(contentTypes[a], contentTypes[b]))).ToArray();
        var ranks = new int[contentTypes.Count];
        for (var r = 0; r < byName.Length; r++) ranks[byName[r]] = r;
        var entries = new Entry[state.GroupCount];
        for (var i = 0; i < entries.Length; i++)
        {
            var winner = state.Group(i).Winner(arena);
            var id = state.AccommodationIdOf(i);
            var (head0, head1) = IdHead(id);
            entries[i] = new Entry(days[winner.ObjectOrdinal], ranks[state.ContentTypeIdOf(i)], head0, head1, id, i);
        }
        entries.AsSpan().Sort();
        return entries;
    }

    /// <summary>
    /// The id's first 16 characters as 16 big-endian bytes, such that a smaller head means a smaller id in ordinal
    /// order: ASCII characters as themselves, the end of the id as 0 (a prefix sorts first), and the first non-ASCII
    /// character as 0x80 followed by zeros (it sorts after every ASCII character). Ids whose heads are equal (long
    /// common prefixes, non-ASCII at the same place, NUL characters) are compared in full.
    /// </summary>
    internal static (ulong Head0, ulong Head1) IdHead(string id)
    {
        ulong head0 = 0, head1 = 0;
        var n = Math.Min(id.Length, 16);
        for (var i = 0; i < n; i++)
        {
            var c = id[i];
            var b = c < 0x80 ? (ulong)c : 0x80;
            if (i < 8) head0 |= b << (56 - (8 * i));
            else head1 |= b << (56 - (8 * (i - 8)));
            if (c >= 0x80) break;
        }
        return (head0, head1);
    }

    private static void Flush(RollingJsonlWriter? writer, int day, List<OutputFile> into)
    {
        if (writer is null) return;
        var date = DateOnly.FromDayNumber(day);
        foreach (var f in writer.Complete()) into.Add(new OutputFile(date, f));
        writer.Dispose();
    }
}

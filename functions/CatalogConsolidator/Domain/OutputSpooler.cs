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
    /// <summary>Spools to new files <c>directory/out-yyyyMMdd.jsonl</c>.</summary>
    public static IReadOnlyList<OutputFile> Write(ConsolidationState state, DateOnly processingDate, string directory, long maxFileBytes) =>
        Write(state, processingDate, day => new RollingJsonlWriter(directory, "out-" + day.ToString("yyyyMMdd", CultureInfo.InvariantCulture), maxFileBytes));

    /// <param name="state">The consolidated batch.</param>
    /// <param name="processingDate">The day partition of records whose source key names no day.</param>
    /// <param name="openDay">The writer of one day partition's spool file, opened once per day.</param>
    public static IReadOnlyList<OutputFile> Write(ConsolidationState state, DateOnly processingDate, Func<DateOnly, RollingJsonlWriter> openDay)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(openDay);
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
                    writer = openDay(DateOnly.FromDayNumber(current));
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
    /// One accommodation with its sort key: day partition and content type (as its ordinal rank) packed in one integer,
    /// then the id's <see cref="IdHead"/>, which orders as the id does. Comparable itself (rather than through an
    /// IComparer), so the sort calls the comparison directly instead of through an interface. Ids with equal heads
    /// are put in order afterwards (<see cref="OrderEqualHeads"/>), so the sort never reads an id.
    /// </summary>
    private readonly record struct Entry(ulong DayAndType, ulong High, ulong Low, int Index) : IComparable<Entry>
    {
        public int CompareTo(Entry other)
        {
            if (DayAndType != other.DayAndType) return DayAndType < other.DayAndType ? -1 : 1;
            if (High != other.High) return High < other.High ? -1 : 1;
            if (Low != other.Low) return Low < other.Low ? -1 : 1;
            return 0;
        }

        public int Day => (int)(DayAndType >> 32);

        public bool SameKeyHead(in Entry other) => DayAndType == other.DayAndType && High == other.High && Low == other.Low;
    }

    private static Entry[] Order(ConsolidationState state, DateOnly processingDate)
    {
        var sources = state.Context.Sources;
        var days = new ulong[sources.Count];
        for (var i = 0; i < days.Length; i++) days[i] = (ulong)(uint)(sources[i].KeyDate ?? processingDate).DayNumber << 32;
        var arena = state.Context.Values;
        // Content types sort by name: their ranks, by content type id.
        var contentTypes = state.ContentTypes;
        var byName = Enumerable.Range(0, contentTypes.Count).Order(Comparer<int>.Create((a, b) => string.CompareOrdinal(contentTypes[a], contentTypes[b]))).ToArray();
        var ranks = new uint[contentTypes.Count];
        for (var r = 0; r < byName.Length; r++) ranks[byName[r]] = (uint)r;
        var entries = new Entry[state.GroupCount];
        for (var i = 0; i < entries.Length; i++)
        {
            var winner = state.Group(i).Winner(arena);
            var (high, low) = state.IdHeadOf(i);
            entries[i] = new Entry(days[winner.ObjectOrdinal] | ranks[state.ContentTypeIdOf(i)], high, low, i);
        }
        entries.AsSpan().Sort();
        OrderEqualHeads(state, entries);
        return entries;
    }

    /// <summary>
    /// Sorts each run of entries with the same day, content type and id head by the whole id (ordinal): long common
    /// prefixes, non-ASCII characters at the same place, NUL characters. Rare, so a delegate comparison is fine here.
    /// </summary>
    private static void OrderEqualHeads(ConsolidationState state, Span<Entry> entries)
    {
        Comparison<Entry> byId = (a, b) => state.AccommodationIdOf(a.Index).SequenceCompareTo(state.AccommodationIdOf(b.Index));
        for (var start = 0; start < entries.Length;)
        {
            var end = start + 1;
            while (end < entries.Length && entries[end].SameKeyHead(entries[start])) end++;
            if (end - start > 1) entries[start..end].Sort(byId);
            start = end;
        }
    }

    private static void Flush(RollingJsonlWriter? writer, int day, List<OutputFile> into)
    {
        if (writer is null) return;
        var date = DateOnly.FromDayNumber(day);
        foreach (var f in writer.Complete()) into.Add(new OutputFile(date, f));
        writer.Dispose();
    }
}

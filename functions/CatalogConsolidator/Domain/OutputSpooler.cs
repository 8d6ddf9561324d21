using System.Globalization;

namespace Pipelines.Catalog.Domain;

/// <summary>One spooled output file and the day partition it belongs to.</summary>
internal sealed record OutputFile(DateOnly Date, SpooledFile File);

/// <summary>
/// Writes the consolidated accommodations to size-limited jsonl files in a temp directory, one run of files per day
/// partition (the day of the winning record's source key, else the processing day). Records are sorted by
/// content type and accommodation id so the same input always produces byte-identical files.
/// </summary>
internal static class OutputSpooler
{
    public static IReadOnlyList<OutputFile> Write(ConsolidationState state, DateOnly processingDate, string directory, long maxFileBytes)
    {
        ArgumentNullException.ThrowIfNull(state);
        var context = state.Context;
        var ordered = Order(state, processingDate);

        var formatter = new ConsolidatedRecordFormatter(context);
        var result = new List<OutputFile>();
        RollingJsonlWriter? writer = null;
        DateOnly current = default;
        try
        {
            foreach (var (date, _, _, index) in ordered)
            {
                ref readonly var group = ref state.Group(index);
                if (writer is null || date != current)
                {
                    Flush(writer, current, result);
                    current = date;
                    writer = new RollingJsonlWriter(directory, "out-" + date.ToString("yyyyMMdd", CultureInfo.InvariantCulture), maxFileBytes);
                }
                writer.WriteLine(formatter.Format(group), group.Messages);
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

    /// <summary>One accommodation with its sort key: day partition, then content type (as its ordinal rank), then id.</summary>
    private readonly record struct Entry(DateOnly Date, int ContentTypeRank, string AccommodationId, int Index);

    /// <summary>The sort is much of the spooling's time: one struct comparer over an array, the id held in the entry.</summary>
    private readonly struct EntryOrder : IComparer<Entry>
    {
        public int Compare(Entry a, Entry b)
        {
            var c = a.Date.CompareTo(b.Date);
            if (c == 0) c = a.ContentTypeRank.CompareTo(b.ContentTypeRank);
            return c != 0 ? c : string.CompareOrdinal(a.AccommodationId, b.AccommodationId);
        }
    }

    private static Entry[] Order(ConsolidationState state, DateOnly processingDate)
    {
        var sources = state.Context.Sources;
        var arena = state.Context.Values;
        var ranks = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var contentType in state.ContentTypes.Order(StringComparer.Ordinal)) ranks.Add(contentType, ranks.Count);
        var entries = new Entry[state.GroupCount];
        var n = 0;
        foreach (var key in state.Keys)
        {
            var winner = state.Group(key.Index).Winner(arena);
            entries[n++] = new Entry(sources[winner.ObjectOrdinal].KeyDate ?? processingDate, ranks[key.ContentType], key.AccommodationId, key.Index);
        }
        entries.AsSpan().Sort(new EntryOrder());
        return entries;
    }

    private static void Flush(RollingJsonlWriter? writer, DateOnly date, List<OutputFile> into)
    {
        if (writer is null) return;
        foreach (var f in writer.Complete()) into.Add(new OutputFile(date, f));
        writer.Dispose();
    }
}

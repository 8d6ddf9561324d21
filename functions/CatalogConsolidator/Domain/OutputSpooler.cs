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
        var ordered = state.Groups
            .Select(g => (Date: context.Sources[g.Winner.ObjectOrdinal].KeyDate ?? processingDate, Group: g))
            .OrderBy(x => x.Date)
            .ThenBy(x => x.Group.ContentType, StringComparer.Ordinal)
            .ThenBy(x => x.Group.AccommodationId, StringComparer.Ordinal)
            .ToList();

        var formatter = new ConsolidatedRecordFormatter(context);
        var result = new List<OutputFile>();
        RollingJsonlWriter? writer = null;
        DateOnly current = default;
        try
        {
            foreach (var (date, group) in ordered)
            {
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

    private static void Flush(RollingJsonlWriter? writer, DateOnly date, List<OutputFile> into)
    {
        if (writer is null) return;
        foreach (var f in writer.Complete()) into.Add(new OutputFile(date, f));
        writer.Dispose();
    }
}

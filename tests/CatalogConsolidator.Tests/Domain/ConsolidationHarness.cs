using System.Buffers;
using System.Text;
using System.Text.Json;
using Pipelines.Catalog.Domain;
using Pipelines.Tests.CatalogConsolidator.Support;

namespace Pipelines.Tests.CatalogConsolidator.Domain;

/// <summary>One source object for a domain test: its key, the message that named it, and its lines.</summary>
internal sealed record TestObject(string Key, int Message, params string[] Lines);

/// <summary>Runs the pure consolidation (no I/O besides a temp dir) and returns the output records.</summary>
internal static class ConsolidationHarness
{
    public static readonly DateOnly ProcessingDate = new(2024, 3, 9);

    public static ConsolidationState Consolidate(PartnerPriorityBook book, params TestObject[] objects) =>
        Consolidate(new ConsolidationContext(book, Sources(objects)), objects);

    /// <summary>As the handler does: each message read between Begin and Commit, the arena checked for waste after each.</summary>
    public static ConsolidationState Consolidate(ConsolidationContext context, params TestObject[] objects)
    {
        var batch = new ConsolidationState(context);
        using var parser = new CatalogLineParser(context.FieldNames);
        foreach (var message in objects.Select(o => o.Message).Distinct())
        {
            batch.BeginMessage();
            Read(batch, parser, objects, message);
            batch.CommitMessage();
            batch.CompactValuesIfWasteful();
        }
        return batch;
    }

    /// <summary>Adds the lines of <paramref name="message"/>'s objects to <paramref name="state"/>.</summary>
    public static void Read(ConsolidationState state, CatalogLineParser parser, TestObject[] objects, int message)
    {
        for (var i = 0; i < objects.Length; i++)
        {
            if (objects[i].Message != message) continue;
            var line = 0;
            foreach (var text in objects[i].Lines)
            {
                line++;
                var error = parser.Parse(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(text)));
                if (error is null) state.Add(parser, i, line, message);
            }
        }
    }

    public static List<SourceObject> Sources(TestObject[] objects) =>
        objects.Select((o, i) => new SourceObject(i, "partner-catalog-source", o.Key, SourceKeyDate.TryParse(o.Key))).ToList();

    /// <summary>The output files' lines exactly as written.</summary>
    public static List<string> OutputLines(ConsolidationState state)
    {
        var dir = Path.Combine(Path.GetTempPath(), "catalog-domain-tests", Guid.NewGuid().ToString("N"));
        try
        {
            return OutputSpooler.Write(state, ProcessingDate, dir, 500_000).SelectMany(f => SpooledBytes.Lines(f.File)).ToList();
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    public static List<JsonElement> Output(ConsolidationState state)
    {
        var dir = Path.Combine(Path.GetTempPath(), "catalog-domain-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var files = OutputSpooler.Write(state, ProcessingDate, dir, 500_000);
            return files.SelectMany(f => SpooledBytes.Lines(f.File))
                .Select(l => JsonDocument.Parse(l).RootElement.Clone())
                .ToList();
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    public static JsonElement Single(ConsolidationState state, string accommodationId) =>
        Output(state).Single(r => r.GetProperty("accommodation_id").GetString() == accommodationId);

    public static PartnerPriorityBook Book(string contentType, string[] order, params string[] blacklist) =>
        new(new Dictionary<string, PartnerRanking> { [contentType] = new PartnerRanking(order, blacklist) });

    public static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();
}

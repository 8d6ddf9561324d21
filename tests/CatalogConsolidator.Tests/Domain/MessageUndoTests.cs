using FluentAssertions;
using NUnit.Framework;
using Pipelines.Catalog.Domain;
using Pipelines.Tests.CatalogConsolidator.Support;
using static Pipelines.Tests.CatalogConsolidator.Domain.ConsolidationHarness;

namespace Pipelines.Tests.CatalogConsolidator.Domain;

/// <summary>A message that fails half-way is taken back out of the batch: the output must be as if it was never read.</summary>
public class MessageUndoTests
{
    private const string Key = "2024/01/31/";

    private static string Line(string partner, string id, string extra = "") =>
        $$"""{"partner_id":"{{partner}}","accommodation_id":"{{id}}","content_type":"hotel"{{extra}}}""";

    /// <summary>Message 1 (the one that fails) outranks, fills in, adds fields and new accommodations; messages 0 and 2 surround it.</summary>
    private static TestObject[] Objects() =>
    [
        new(Key + "b.jsonl", 0, [.. Enumerable.Range(0, 40).Select(i => Line("b", $"H{i}", $$""","name":"b {{i}}","stars":null,"phone":"+1 {{i}}" """))]),
        new(Key + "a.jsonl", 1,
        [
            .. Enumerable.Range(0, 30).Select(i => Line("a", $"H{i}", $$""","name":"a {{i}}","stars":{{i % 5}},"phone":null,"tags":["x"]{{string.Concat(Enumerable.Range(0, i % 7).Select(f => $",\"extra{f}\":{f}"))}}""")),
            .. Enumerable.Range(0, 20).Select(i => Line("a", $"N{i}", ""","name":"new" """)),
        ]),
        new(Key + "c.jsonl", 2, [.. Enumerable.Range(0, 50).Select(i => Line("c", $"H{i}", $$""","name":"c {{i}}","stars":{{i % 3}},"geo":{"lat":1}""" ))]),
    ];

    private static PartnerPriorityBook Ranking() => Book("hotel", ["a", "b", "c"]);

    private static (List<string> Lines, List<IReadOnlyList<int>> Messages) Run(int chunkSize, bool readFailingMessage)
    {
        var objects = Objects();
        using var context = new ConsolidationContext(Ranking(), Sources(objects), chunkSize: chunkSize) { MinimumWasteToCompact = long.MaxValue };
        using var parser = new CatalogLineParser(context.FieldNames);
        var batch = new ConsolidationState(context);
        foreach (var message in new[] { 0, 1, 2 })
        {
            if (message == 1 && !readFailingMessage) continue;
            batch.BeginMessage();
            Read(batch, parser, objects, message);
            if (message == 1) batch.DiscardMessage();
            else batch.CommitMessage();
        }

        var dir = Path.Combine(Path.GetTempPath(), "catalog-undo-tests", Guid.NewGuid().ToString("N"));
        try
        {
            var files = OutputSpooler.Write(batch, ProcessingDate, dir, 2_000);
            return ([.. files.SelectMany(f => SpooledBytes.Lines(f.File))], [.. files.Select(f => f.File.Messages)]);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [TestCase(ValueArenaChunk.Usual)]
    [TestCase(ValueArenaChunk.Tiny)]
    public void A_discarded_message_leaves_no_trace_in_the_records_or_in_which_messages_each_file_carries(ValueArenaChunk chunk)
    {
        var chunkSize = chunk == ValueArenaChunk.Tiny ? 64 : Pipelines.Catalog.Domain.ValueArena.DefaultChunkSize;

        var expected = Run(chunkSize, readFailingMessage: false);
        var actual = Run(chunkSize, readFailingMessage: true);

        actual.Lines.Should().Equal(expected.Lines);
        actual.Messages.Should().BeEquivalentTo(expected.Messages, o => o.WithStrictOrdering());
        expected.Lines.Should().HaveCount(50);
        expected.Lines.Should().NotContain(l => l.Contains("\"a\"", StringComparison.Ordinal) || l.Contains("N0", StringComparison.Ordinal));
        expected.Messages.SelectMany(m => m).Distinct().Should().BeEquivalentTo([0, 2]);
    }

    [Test]
    public void After_a_discarded_message_the_same_accommodations_can_be_added_again()
    {
        var objects = Objects();
        using var context = new ConsolidationContext(Ranking(), Sources(objects));
        using var parser = new CatalogLineParser(context.FieldNames);
        var batch = new ConsolidationState(context);
        batch.BeginMessage();
        Read(batch, parser, objects, 1);
        batch.DiscardMessage();
        batch.GroupCount.Should().Be(0);

        batch.BeginMessage();
        Read(batch, parser, objects, 1);
        batch.CommitMessage();

        var record = Output(batch).Single(r => r.GetProperty("accommodation_id").GetString() == "H6");
        record.GetProperty("name").GetString().Should().Be("a 6");
        record.GetProperty("extra5").GetInt32().Should().Be(5);
        batch.GroupCount.Should().Be(50);
    }

    [Test]
    public void Values_cannot_be_compacted_while_a_message_is_open()
    {
        using var context = new ConsolidationContext(Ranking(), Sources(Objects()));
        var batch = new ConsolidationState(context);
        batch.BeginMessage();

        batch.Invoking(b => b.CompactValuesIfWasteful()).Should().Throw<InvalidOperationException>();
    }
}

public enum ValueArenaChunk
{
    Usual,
    Tiny,
}

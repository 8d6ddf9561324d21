using FluentAssertions;
using NUnit.Framework;
using Pipelines.Catalog.Domain;
using static Pipelines.Tests.CatalogConsolidator.Domain.ConsolidationHarness;

namespace Pipelines.Tests.CatalogConsolidator.Domain;

/// <summary>Where values are kept (arena chunk size, compaction) must never show in the output.</summary>
public class ArenaConsolidationTests
{
    private const string Key = "2024/01/31/";

    /// <summary>Three partners describing the same accommodations over three messages, best partner last, with fill-ins and nulls.</summary>
    private static TestObject[] Catalog(int accommodations)
    {
        string Line(string partner, int i, string extra) =>
            $$"""{"partner_id":"{{partner}}","accommodation_id":"H{{i}}","content_type":"{{(i % 3 == 0 ? "apartment" : "hotel")}}","name":"{{partner}} name of H{{i}} with some length","description":"{{new string((char)('a' + i % 26), 20 + i % 40)}}"{{extra}}}""";
        return
        [
            new(Key + "c.jsonl", 0, [.. Enumerable.Range(0, accommodations).Select(i => Line("c", i, $$""","phone":"+33 {{i}}","stars":{{i % 5}},"tags":["x","y"]"""))]),
            new(Key + "b.jsonl", 1, [.. Enumerable.Range(0, accommodations).Select(i => Line("b", i, i % 2 == 0 ? ""","phone":null""" : ""","geo":{"lat":1.5,"lon":-2}"""))]),
            new(Key + "a.jsonl", 2, [.. Enumerable.Range(0, accommodations).Select(i => Line("a", i, i % 4 == 0 ? ""","stars":null""" : ""))]),
        ];
    }

    private static PartnerPriorityBook Ranking() => new(new Dictionary<string, PartnerRanking>
    {
        ["hotel"] = new(["a", "b", "c"], []),
        ["apartment"] = new(["a", "b", "c"], []),
    });

    [Test]
    public void Tiny_chunks_where_values_land_in_many_chunks_or_arrays_of_their_own_give_the_same_output()
    {
        var objects = Catalog(60);
        using var usual = new ConsolidationContext(Ranking(), Sources(objects));
        using var tiny = new ConsolidationContext(Ranking(), Sources(objects), chunkSize: 24);

        var expected = OutputLines(Consolidate(usual, objects));
        var actual = OutputLines(Consolidate(tiny, objects));

        tiny.Values.ChunkCount.Should().BeGreaterThan(200, "the test is only meaningful if values really are spread over chunks");
        actual.Should().Equal(expected);
        expected.Should().HaveCount(60);
        var h0 = expected.Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).Single(r => r.GetProperty("accommodation_id").GetString() == "H0");
        h0.GetProperty("partner_id").GetString().Should().Be("a");
        h0.GetProperty("stars").GetInt32().Should().Be(0, "a's null is filled from c");
        h0.GetProperty("phone").GetString().Should().Be("+33 0", "b's null is filled from c");
    }

    [Test]
    public void Compacting_a_mostly_wasted_arena_frees_memory_and_changes_nothing_in_the_output()
    {
        var objects = Catalog(200);
        using var kept = new ConsolidationContext(Ranking(), Sources(objects), chunkSize: 4096) { MinimumWasteToCompact = long.MaxValue };
        using var compacted = new ConsolidationContext(Ranking(), Sources(objects), chunkSize: 4096) { MinimumWasteToCompact = 0 };
        var firstArena = compacted.Values;

        var expected = OutputLines(Consolidate(kept, objects));
        var actual = OutputLines(Consolidate(compacted, objects));

        compacted.Values.Should().NotBeSameAs(firstArena, "later partners outranked most values, so the arena was compacted");
        compacted.Values.HeldBytes.Should().BeLessThan(kept.Values.HeldBytes);
        actual.Should().Equal(expected);
    }

    [Test]
    public void A_group_keeps_its_values_when_its_table_grows_many_times()
    {
        // Each line brings a new field, so the group's table moves again and again (and released tables are reused).
        var lines = Enumerable.Range(0, 300)
            .Select(i => $$"""{"partner_id":"p","accommodation_id":"H1","content_type":"hotel","updated_at":"2024-01-01T00:{{i / 60:D2}}:{{i % 60:D2}}Z","f{{i}}":"value {{i}}"}""")
            .ToArray();
        using var context = new ConsolidationContext(PartnerPriorityBook.Empty, Sources([new TestObject(Key + "p.jsonl", 0, lines)]), chunkSize: 256);

        var record = Single(Consolidate(context, new TestObject(Key + "p.jsonl", 0, lines)), "H1");

        record.GetProperty("updated_at").GetString().Should().Be("2024-01-01T00:04:59Z");
        Enumerable.Range(0, 300).Select(i => record.GetProperty($"f{i}").GetString()).Should().Equal(Enumerable.Range(0, 300).Select(i => $"value {i}"));
        record.EnumerateObject().Select(p => p.Name).Take(5).Should().Equal("partner_id", "accommodation_id", "content_type", "updated_at", "f299");
    }
}

using FluentAssertions;
using NUnit.Framework;
using Pipelines.Counties.Domain;
using Pipelines.Shared.Text;

namespace Pipelines.Tests.CountyAggregator;

public class CountyBatchCounterTests
{
    [Test]
    public void Rows_are_counted_per_county_with_one_item_each()
    {
        var rows = Rows("Delaware", "Ulster", "Delaware", "Essex", "Delaware");

        var counts = CountedRows.Count(rows);

        counts.Select(c => (c.County, c.Count)).Should().Equal(("Delaware", 3), ("Ulster", 1), ("Essex", 1));
    }

    [Test]
    public void Each_item_is_named_by_its_countys_first_row_and_records_the_range_it_covers()
    {
        var rows = Rows("Ulster", "Delaware", "Delaware");

        var delaware = CountedRows.Count(rows).Single(c => c.County == "Delaware");

        delaware.BatchId.Should().Be($"{Iso8601.FormatUtcMillis(rows[1].Source.ArrivalTime)}#shardId-000000000000#{rows[1].Source.SequenceNumber}");
        delaware.Timestamp.Should().Be(Iso8601.FormatUtcMillis(rows[1].Source.ArrivalTime));
        delaware.ShardId.Should().Be("shardId-000000000000");
        delaware.FirstSequenceNumber.Should().Be(rows[1].Source.SequenceNumber);
        delaware.LastSequenceNumber.Should().Be(rows[2].Source.SequenceNumber);
    }

    [Test]
    public void Batch_ids_sort_by_arrival_time()
    {
        var early = CountyBatchCounter.BatchId(SampleRows.Source(5, "shardId-000000000009"));
        var late = CountyBatchCounter.BatchId(SampleRows.Source(6, "shardId-000000000000"));

        string.CompareOrdinal(early, late).Should().BeNegative();
        early.Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z#shardId-000000000009#\d+$");
    }

    [Test]
    public void The_same_batch_twice_yields_identical_items()
    {
        var rows = Rows("Delaware", "Ulster", "Delaware");

        CountedRows.Count(rows).Should().Equal(CountedRows.Count(rows.ToList()));
    }

    [Test]
    public void Rows_from_different_shards_never_share_an_item()
    {
        var rows = new List<CountedRow>
        {
            new(SampleRows.Source(1, "shardId-000000000000"), "Delaware"),
            new(SampleRows.Source(1, "shardId-000000000001"), "Delaware"),
        };

        CountedRows.Count(rows).Select(c => c.BatchId).Should().OnlyHaveUniqueItems().And.HaveCount(2);
    }

    [Test]
    public void A_reused_counter_starts_every_batch_empty()
    {
        var counter = new CountyBatchCounter();
        var first = Rows("Delaware", "Ulster", "Delaware");
        var second = new List<CountedRow> { new(SampleRows.Source(3), "Essex"), new(SampleRows.Source(4), "Delaware") };

        CountedRows.Count(counter, first);
        var counts = CountedRows.Count(counter, second);

        counts.Select(c => (c.County, c.Count, c.FirstSequenceNumber)).Should().Equal(
            ("Essex", 1, second[0].Source.SequenceNumber), ("Delaware", 1, second[1].Source.SequenceNumber));
        counter.Rows.Should().Be(0);
    }

    [Test]
    public void Counties_differing_only_in_case_or_accents_are_different_counties()
    {
        var counts = CountedRows.Count(Rows("Montreal", "montreal", "Montr\u00e9al", "Montreal"));

        counts.Select(c => (c.County, c.Count)).Should().Equal(("Montreal", 2), ("montreal", 1), ("Montr\u00e9al", 1));
    }

    [Test]
    public void After_more_distinct_counties_than_it_remembers_the_next_batch_is_still_right()
    {
        var counter = new CountyBatchCounter();
        var many = Enumerable.Range(0, CountyNames.MaxRemembered + 10).Select(i => new CountedRow(SampleRows.Source(i), $"County {i}")).ToList();

        CountedRows.Count(counter, many).Should().HaveCount(many.Count).And.OnlyContain(c => c.Count == 1);
        var next = CountedRows.Count(counter, Rows("County 7", "Delaware", "County 7"));

        next.Select(c => (c.County, c.Count)).Should().Equal(("County 7", 2), ("Delaware", 1));
    }

    internal static List<CountedRow> Rows(params string[] counties) =>
        counties.Select((county, i) => new CountedRow(SampleRows.Source(i), county)).ToList();
}

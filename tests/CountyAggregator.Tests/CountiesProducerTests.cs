using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Cli.Producers;
using Pipelines.Counties.Domain;

namespace Pipelines.Tests.CountyAggregator;

public class CountiesProducerTests
{
    private static List<CountiesProducer.CsvRow> Sample => CountiesProducer.ReadRows(CountyAggregatorIntegrationTests.SampleCsv);

    [Test]
    public void The_sample_csv_has_hundreds_of_rows_in_the_fishing_waters_shape()
    {
        var rows = Sample;

        rows.Should().HaveCountGreaterThanOrEqualTo(500);
        rows.Should().OnlyContain(r => r.Columns.Select(c => c.Key).SequenceEqual(new[] { "Water", "County", "Fish Species", "Comments" }));
        rows.Select(r => r.County).Where(c => c.Length > 0).Distinct().Should().HaveCountGreaterThan(40);
        rows.Count(r => r.County.Length == 0).Should().BeInRange(3, 20, "a few rows exercise the aggregator's rejection");
    }

    [Test]
    public void Quoted_fields_keep_their_commas_quotes_and_line_breaks()
    {
        var rows = Sample;

        rows.Should().Contain(r => r.Columns[2].Value.Contains(", ", StringComparison.Ordinal));
        rows.Should().Contain(r => r.Columns[3].Value.Contains('\n', StringComparison.Ordinal));
        rows.Should().Contain(r => r.Columns[3].Value.Contains("\"no-kill\"", StringComparison.Ordinal));
    }

    [Test]
    public void A_csv_written_by_hand_parses_like_a_spreadsheet_would()
    {
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"hand-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "Water,County,Fish Species,Comments\n" +
            "\"Beaver Kill\", Delaware ,\"Brown Trout, Brook Trout\",\"Line one\nline two, with \"\"quotes\"\"\"\n" +
            "Short Row,Essex\n");
        try
        {
            var rows = CountiesProducer.ReadRows(path);

            rows.Should().HaveCount(2);
            rows[0].County.Should().Be("Delaware");
            rows[0].Columns[1].Value.Should().Be(" Delaware ", "the raw value is sent; the function trims");
            rows[0].Columns[2].Value.Should().Be("Brown Trout, Brook Trout");
            rows[0].Columns[3].Value.Should().Be("Line one\nline two, with \"quotes\"");
            rows[1].Columns.Select(c => c.Value).Should().Equal("Short Row", "Essex", "", "");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Each_row_becomes_the_json_the_aggregator_counts()
    {
        var row = Sample.First(r => r.County.Length > 0);

        var json = CountiesProducer.ToJson(row, "2024-05-01T12:00:00.000Z");

        var parsed = SampleRows.Parse(json);
        parsed.County.Should().Be(row.County);
        JsonNode.Parse(json)!["Fish Species"]!.GetValue<string>().Should().Be(row.Columns[2].Value);
        CountiesProducer.PartitionKey(row).Should().Be(row.County);
    }

    [Test]
    public void Rows_without_a_county_are_still_sent_and_rejected_by_the_function()
    {
        var row = Sample.First(r => r.County.Length == 0);

        CountyRowParser.Parse(CountiesProducer.ToJson(row, "2024-05-01T12:00:00.000Z")).RejectReason.Should().Be("County is empty");
        CountiesProducer.PartitionKey(row).Should().StartWith("no-county-");
    }

    [Test]
    public void A_file_without_a_county_column_is_refused_with_a_clear_message()
    {
        var path = Path.Combine(TestContext.CurrentContext.WorkDirectory, $"nocounty-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "Water,Fish Species\nBeaver Kill,Brown Trout\n");
        try
        {
            var act = () => CountiesProducer.ReadRows(path);

            act.Should().Throw<InvalidDataException>().WithMessage("*no 'County' column*");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void The_report_sums_batch_items_per_county_into_a_table()
    {
        var text = CountiesReport.Format([new CountyTotal("Delaware", 42, 5), new CountyTotal("St. Lawrence", 7, 2)]);

        text.Split('\n')[0].Should().MatchRegex(@"^County\s+Rows\s+Batches$");
        text.Should().Contain("Delaware").And.Contain("42").And.Contain("St. Lawrence");
        text.TrimEnd().Split('\n')[^1].Should().MatchRegex(@"^2 counties\s+49\s+7$");
    }
}

using FluentAssertions;
using NUnit.Framework;

namespace Pipelines.Tests.CountyAggregator;

public class CountyRowParserTests
{
    [Test]
    public void A_producer_row_counts_towards_its_county()
    {
        SampleRows.Parse(SampleRows.Row("Delaware")).County.Should().Be("Delaware");
    }

    [TestCase("  Ulster  ", "Ulster")]
    [TestCase("\tSt. Lawrence\n", "St. Lawrence")]
    [TestCase("Lewis", "Lewis")]
    public void The_county_name_is_trimmed(string raw, string expected)
    {
        SampleRows.Parse(SampleRows.Row(raw)).County.Should().Be(expected);
    }

    [Test]
    public void Columns_other_than_county_and_timestamp_may_hold_anything_well_formed()
    {
        var row = SampleRows.Row("Essex");
        row["Comments"] = new System.Text.Json.Nodes.JsonObject { ["nested"] = new System.Text.Json.Nodes.JsonArray(1, "two", null) };
        row["Water"] = null;

        SampleRows.Parse(row).County.Should().Be("Essex");
    }

    [TestCase(null, "County is missing")]
    [TestCase("", "County is empty")]
    [TestCase("   ", "County is empty")]
    public void A_row_without_a_county_is_rejected(string? county, string reason)
    {
        SampleRows.Parse(SampleRows.Row(county)).RejectReason.Should().Be(reason);
    }

    [Test]
    public void Unknown_wire_shapes_are_never_counted()
    {
        SampleRows.Parse("{\"county\":\"Albany\",\"timestamp\":\"2024-05-01T12:00:00Z\"}").RejectReason
            .Should().Be("County is missing", "field names are case-sensitive, as the CSV header is");
    }

    [TestCase("{\"County\":\"\\u0044elaware\",\"timestamp\":\"2024-05-01T12:00:00Z\"}", "Delaware")]
    [TestCase("{\"County\":\"O\\\"Brien\",\"timestamp\":\"2024-05-01T12:00:00Z\"}", "O\"Brien")]
    [TestCase("{\"County\":\"\\t St. Lawrence\\u00a0\\u3000\",\"timestamp\":\"2024-05-01T12:00:00Z\"}", "St. Lawrence")]
    [TestCase("{\"County\":\"Montr\u00e9al\",\"timestamp\":\"2024-05-01T12:00:00Z\"}", "Montr\u00e9al")]
    [TestCase("{\"County\":\"Montr\\u00e9al\",\"timestamp\":\"2024-05-01T12:00:00Z\"}", "Montr\u00e9al")]
    [TestCase("{\"County\":\"\\ud83c\\udf32 Pines\",\"timestamp\":\"2024-05-01T12:00:00Z\"}", "\U0001F332 Pines")]
    public void Escaped_and_non_ascii_counties_read_as_their_text(string json, string expected)
    {
        SampleRows.Parse(json).County.Should().Be(expected);
    }

    [TestCase("\u00e9", 1024, null)]
    [TestCase("\u00e9", 1025, "County is longer than DynamoDB's 2048-byte partition key limit")]
    [TestCase("D", 2048, null)]
    public void The_county_limit_counts_utf8_bytes_of_the_trimmed_name(string unit, int repeat, string? reason)
    {
        var county = "  " + string.Concat(Enumerable.Repeat(unit, repeat)) + new string(' ', 3000);

        SampleRows.Parse(SampleRows.Row(county)).RejectReason.Should().Be(reason);
    }

    [TestCase("2024-05-01T12:00:00Z")]
    [TestCase("2024-05-01T12:00:00.1234567+05:30")]
    [TestCase("2024-02-29T23:59:59-14:00")]
    [TestCase("2024-05-01T12:00:00\\u002e5Z")]
    public void Timestamps_with_an_explicit_zone_are_accepted(string timestamp)
    {
        var json = "{\"County\":\"Essex\",\"timestamp\":\"" + timestamp + "\"}";

        SampleRows.Parse(json).RejectReason.Should().BeNull();
    }

    [Test]
    public void Every_problem_of_a_row_is_reported_together()
    {
        var row = SampleRows.Row("  ", timestamp: "2024-05-01 12:00");

        SampleRows.Parse(row).RejectReason.Should()
            .Be("County is empty; timestamp '2024-05-01 12:00' is not an ISO 8601 date-time with an offset or Z");
    }

    [Test]
    public void An_escaped_unpaired_surrogate_in_the_timestamp_rejects_the_row()
    {
        SampleRows.Parse("{\"County\":\"Essex\",\"timestamp\":\"\\ud800Z\"}").RejectReason.Should().Contain("unpaired surrogate");
    }
}

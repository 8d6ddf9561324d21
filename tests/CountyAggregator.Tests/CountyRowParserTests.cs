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
}

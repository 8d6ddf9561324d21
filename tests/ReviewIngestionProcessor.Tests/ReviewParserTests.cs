using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Reviews.Domain;
using Pipelines.Shared.Kinesis;
using Pipelines.Shared.Text;

namespace Pipelines.Tests.ReviewIngestionProcessor;

public class ReviewParserTests
{
    [Test]
    public void A_full_review_keeps_every_field_with_its_type()
    {
        var item = SampleReviews.Parse(SampleReviews.Full()).Item!;

        item.ReviewId.Should().Be("R1ABCDEF");
        item["review_id"]!.Text.Should().Be("R1ABCDEF");
        item["star_rating"]!.Kind.Should().Be(ItemValueKind.Number);
        item["star_rating"]!.Text.Should().Be("4");
        item["helpful_votes"]!.Text.Should().Be("3");
        item["verified_purchase"]!.Bool.Should().BeTrue();
        item["review_title"]!.Text.Should().Be("Solid kettle");
        item["review_date"]!.Text.Should().Be("2023-10-27T10:00:00Z");
        item["product_category"]!.Text.Should().Be("Kitchen");
    }

    [Test]
    public void Missing_optional_fields_get_the_contract_defaults()
    {
        var item = SampleReviews.Parse(SampleReviews.Minimal()).Item!;

        item["helpful_votes"]!.Kind.Should().Be(ItemValueKind.Number);
        item["helpful_votes"]!.Text.Should().Be("0");
        item["verified_purchase"]!.Kind.Should().Be(ItemValueKind.Boolean);
        item["verified_purchase"]!.Bool.Should().BeFalse();
        item["review_title"].Should().BeNull();
    }

    [Test]
    public void Explicit_nulls_for_optional_fields_mean_not_given()
    {
        var review = SampleReviews.Minimal();
        review["helpful_votes"] = null;
        review["verified_purchase"] = null;
        review["review_text"] = null;

        var item = SampleReviews.Parse(review).Item!;

        item["helpful_votes"]!.Text.Should().Be("0");
        item["verified_purchase"]!.Bool.Should().BeFalse();
        item["review_text"].Should().BeNull();
    }

    [Test]
    public void Unknown_fields_are_kept_with_their_structure_and_order()
    {
        var review = SampleReviews.Minimal();
        review["vine"] = "N";
        review["images"] = new JsonArray("a.jpg", "b.jpg");
        review["locale"] = new JsonObject { ["lang"] = "en", ["weight"] = 0.25, ["fallback"] = null };
        review["score"] = 12.5e3;

        var item = SampleReviews.Parse(review).Item!;

        item["vine"]!.Text.Should().Be("N");
        item["images"]!.Items!.Select(i => i.Text).Should().Equal("a.jpg", "b.jpg");
        var locale = item["locale"]!.Entries!;
        locale.Select(e => e.Key).Should().Equal("lang", "weight", "fallback");
        locale[1].Value.Text.Should().Be("0.25");
        locale[2].Value.Kind.Should().Be(ItemValueKind.Null);
        item["score"]!.Kind.Should().Be(ItemValueKind.Number);
        var names = item.Attributes.Select(a => a.Key).ToList();
        names.IndexOf("vine").Should().BeLessThan(names.IndexOf("images"));
    }

    [Test]
    public void Ingestion_timestamp_is_the_kinesis_arrival_time_in_utc_with_milliseconds()
    {
        var item = SampleReviews.Parse(SampleReviews.Minimal()).Item!;

        // approximateArrivalTimestamp 1545084650.987 from AWS's sample event.
        item["ingestion_timestamp"]!.Text.Should().Be("2018-12-17T22:10:50.987Z");
    }

    [TestCase(1545084650.0, "2018-12-17T22:10:50.000Z")]
    [TestCase(1545084650.1, "2018-12-17T22:10:50.100Z")]
    [TestCase(1700000000.999, "2023-11-14T22:13:20.999Z")]
    public void Arrival_times_keep_exactly_the_millisecond_kinesis_sent(double epochSeconds, string expected)
    {
        Iso8601.FormatUtcMillis(SourceRecord.ArrivalFromEpochSeconds(epochSeconds)).Should().Be(expected);
    }

    [Test]
    public void Items_carry_the_source_sequence_number_and_shard_for_lineage()
    {
        var item = SampleReviews.Parse(SampleReviews.Minimal()).Item!;

        item["source_sequence_number"]!.Text.Should().Be(SampleReviews.Source.SequenceNumber);
        item["source_shard_id"]!.Text.Should().Be("shardId-000000000006");
    }

    [Test]
    public void Pipeline_fields_in_the_payload_are_replaced_not_trusted()
    {
        var review = SampleReviews.Minimal();
        review["ingestion_timestamp"] = "1999-01-01T00:00:00Z";
        review["source_shard_id"] = "forged";

        var item = SampleReviews.Parse(review).Item!;

        item["ingestion_timestamp"]!.Text.Should().Be("2018-12-17T22:10:50.987Z");
        item["source_shard_id"]!.Text.Should().Be("shardId-000000000006");
        item.Attributes.Count(a => a.Key == "ingestion_timestamp").Should().Be(1);
    }

    [Test]
    public void The_same_record_parsed_twice_gives_an_identical_item()
    {
        var review = SampleReviews.Full();
        review["extra"] = new JsonObject { ["nested"] = new JsonArray(1, 2, 3) };

        var first = ItemText(SampleReviews.Parse(review).Item!);
        var second = ItemText(SampleReviews.Parse(review).Item!);

        second.Should().Be(first);
    }

    [Test]
    public void Shard_id_comes_from_the_lambda_event_id()
    {
        SourceRecord.ShardIdFromEventId("shardId-000000000006:49590338271490256608559692538361571095921575989136588898")
            .Should().Be("shardId-000000000006");
    }

    [TestCase("2023-10-27T10:00:00Z")]
    [TestCase("2023-10-27T10:00:00.5Z")]
    [TestCase("2023-10-27T10:00:00.1234567Z")]
    [TestCase("2023-10-27T10:00:00+02:00")]
    [TestCase("2023-10-27T10:00:00.250-07:30")]
    [TestCase("2024-02-29T00:00:00Z")]
    public void Review_dates_with_an_offset_or_z_are_accepted(string date)
    {
        var review = SampleReviews.Minimal();
        review["review_date"] = date;

        SampleReviews.Parse(review).RejectReason.Should().BeNull();
    }

    [TestCase("\"4\"", "star_rating must be an integer, got string")]
    [TestCase("4.5", "star_rating must be an integer, got 4.5")]
    [TestCase("4.0", "star_rating must be an integer, got 4.0")]
    [TestCase("0", "star_rating must be from 1 to 5, got 0")]
    [TestCase("6", "star_rating must be from 1 to 5, got 6")]
    public void Star_rating_must_be_an_integer_from_one_to_five(string rawJsonValue, string reason)
    {
        var review = SampleReviews.Minimal();
        review["star_rating"] = JsonNode.Parse(rawJsonValue);

        SampleReviews.Parse(review).RejectReason.Should().Be(reason);
    }

    [Test]
    public void Several_problems_are_reported_together()
    {
        var review = SampleReviews.Minimal();
        review.Remove("product_id");
        review["star_rating"] = 9;

        SampleReviews.Parse(review).RejectReason.Should().Be("product_id is missing; star_rating must be from 1 to 5, got 9");
    }

    private static string ItemText(ReviewItem item) =>
        string.Join("|", item.Attributes.Select(a => $"{a.Key}={Describe(a.Value)}")) + $"#{item.SizeBytes}";

    private static string Describe(ItemValue v) => v.Kind switch
    {
        ItemValueKind.List => "[" + string.Join(",", v.Items!.Select(Describe)) + "]",
        ItemValueKind.Map => "{" + string.Join(",", v.Entries!.Select(e => e.Key + ":" + Describe(e.Value))) + "}",
        ItemValueKind.Boolean => v.Bool ? "true" : "false",
        ItemValueKind.Null => "null",
        _ => v.Kind + ":" + v.Text,
    };
}

using System.Text;
using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Reviews.Domain;
using Pipelines.Shared.Buffers;

namespace Pipelines.Tests.ReviewIngestionProcessor;

/// <summary>The item the parser writes in one pass: DynamoDB JSON as BatchWriteItem carries it, and the edge cases of reading it.</summary>
public class ReviewItemJsonTests
{
    [Test]
    public void The_item_is_dynamodb_json_with_each_value_typed()
    {
        var review = SampleReviews.Full("R1TYPES");
        review["images"] = new JsonArray("a.jpg", null, 2);
        review["locale"] = new JsonObject { ["lang"] = "en", ["weight"] = 0.25 };

        var item = Item(review);

        item["review_id"]!.ToJsonString().Should().Be("{\"S\":\"R1TYPES\"}");
        item["star_rating"]!.ToJsonString().Should().Be("{\"N\":\"4\"}");
        item["verified_purchase"]!.ToJsonString().Should().Be("{\"BOOL\":true}");
        item["images"]!.ToJsonString().Should().Be("{\"L\":[{\"S\":\"a.jpg\"},{\"NULL\":true},{\"N\":\"2\"}]}");
        item["locale"]!.ToJsonString().Should().Be("{\"M\":{\"lang\":{\"S\":\"en\"},\"weight\":{\"N\":\"0.25\"}}}");
        item["source_shard_id"]!.ToJsonString().Should().Be("{\"S\":\"shardId-000000000006\"}");
    }

    [Test]
    public void Defaults_and_lineage_follow_the_source_fields_in_a_fixed_order()
    {
        var names = Item(SampleReviews.Minimal()).Select(a => a.Key).ToList();

        names.Should().Equal(
            "review_id", "reviewer_id", "product_id", "marketplace_id", "star_rating", "review_date",
            "helpful_votes", "verified_purchase", "ingestion_timestamp", "source_sequence_number", "source_shard_id");
    }

    [TestCase("She said \\\"boils fast\\\"\\nand \\\\ left", "She said \"boils fast\"\nand \\ left")]
    [TestCase("caf\\u00e9 \\u20ac", "café €")]
    [TestCase("\\ud83d\\ude00 ok", "😀 ok")]
    [TestCase("tab\\there \\/ slash", "tab\there / slash")]
    public void Escaped_text_is_stored_as_the_text_it_denotes(string escapedJson, string expected)
    {
        var json = SampleReviews.Minimal().ToJsonString().Replace("}", ",\"note\":\"" + escapedJson + "\"}", StringComparison.Ordinal);

        var parsed = SampleReviews.Parse(json);

        Item(parsed)["note"]!["S"]!.GetValue<string>().Should().Be(expected);
        parsed.Item!["note"]!.Text.Should().Be(expected);
    }

    [Test]
    public void Non_ascii_text_is_sized_in_utf8_bytes_of_the_decoded_text_whether_escaped_or_not()
    {
        var plain = SampleReviews.Parse(SampleReviews.Minimal().ToJsonString().Replace("}", ",\"note\":\"é😀\"}", StringComparison.Ordinal));
        var escaped = SampleReviews.Parse(SampleReviews.Minimal().ToJsonString().Replace("}", ",\"note\":\"\\u00e9\\ud83d\\ude00\"}", StringComparison.Ordinal));
        var baseline = SampleReviews.Parse(SampleReviews.Minimal());

        plain.Item!.SizeBytes.Should().Be(baseline.Item!.SizeBytes + "note".Length + 2 + 4);
        escaped.Item!.SizeBytes.Should().Be(plain.Item.SizeBytes);
    }

    [Test]
    public void An_escaped_spelling_of_a_contract_field_is_that_field()
    {
        var json = SampleReviews.Minimal().ToJsonString().Replace("\"star_rating\"", "\"star\\u005frating\"", StringComparison.Ordinal);

        var item = SampleReviews.Parse(json).Item!;

        item["star_rating"]!.Text.Should().Be("5");
        SampleReviews.Parse(json.Replace("\"star\\u005frating\":5", "\"star\\u005frating\":9", StringComparison.Ordinal))
            .RejectReason.Should().Be("star_rating must be from 1 to 5, got 9");
    }

    [Test]
    public void The_same_name_spelled_with_and_without_escapes_is_a_duplicate()
    {
        var json = SampleReviews.Minimal().ToJsonString().Replace("}", ",\"review\\u005fid\":\"R2\"}", StringComparison.Ordinal);

        SampleReviews.Parse(json).RejectReason.Should().Be("duplicate field 'review_id'");
    }

    [Test]
    public void Duplicates_are_found_in_large_objects_and_names_may_repeat_across_levels()
    {
        var wide = new JsonObject();
        for (var i = 0; i < 40; i++) wide[$"k{i}"] = new JsonObject { ["k1"] = i };
        var review = SampleReviews.Minimal();
        review["wide"] = wide;
        var valid = review.ToJsonString();

        SampleReviews.Parse(valid).RejectReason.Should().BeNull();
        SampleReviews.Parse(valid.Replace("\"k39\"", "\"k3\"", StringComparison.Ordinal)).RejectReason.Should().Be("duplicate field 'k3'");
    }

    [Test]
    public void An_empty_name_inside_a_nested_object_is_refused()
    {
        var review = SampleReviews.Minimal();
        review["meta"] = new JsonObject { ["ok"] = 1, [""] = 2 };

        SampleReviews.Parse(review).RejectReason.Should().StartWith("a field name is empty");
    }

    [Test]
    public void A_syntax_error_later_in_the_payload_wins_over_an_earlier_problem()
    {
        var tooDeep = new string('[', 33) + "1" + new string(']', 33);
        var json = "{\"review_id\":\"R1\",\"deep\":" + tooDeep + ",\"x\":";

        SampleReviews.Parse(json).RejectReason.Should().StartWith("not valid JSON");
        SampleReviews.Parse(json + "1}").RejectReason.Should().Be("nesting is deeper than DynamoDB's 32 levels");
    }

    [Test]
    public void Pipeline_owned_fields_are_dropped_but_must_still_be_storable()
    {
        var review = SampleReviews.Minimal();
        review["source_sequence_number"] = JsonNode.Parse("1e200");

        SampleReviews.Parse(review).RejectReason.Should().Be("number 1e200 is larger than DynamoDB's range (1E+126)");
    }

    [Test]
    public void Negative_zero_votes_are_stored_as_zero()
    {
        var json = SampleReviews.Minimal().ToJsonString().Replace("}", ",\"helpful_votes\":-0}", StringComparison.Ordinal);

        Item(SampleReviews.Parse(json))["helpful_votes"]!.ToJsonString().Should().Be("{\"N\":\"0\"}");
    }

    [Test]
    public void Whitespace_only_ids_are_empty_whatever_the_whitespace()
    {
        var review = SampleReviews.Minimal();
        review["reviewer_id"] = "\u00a0\u2003\t";

        SampleReviews.Parse(review).RejectReason.Should().Be("reviewer_id is empty");
    }

    [Test]
    public void Items_parsed_into_an_arena_match_items_parsed_alone()
    {
        using var arena = new PooledByteArena();
        var alone = new List<ReviewItem>();
        var pooled = new List<ReviewItem>();
        for (var i = 0; i < 600; i++)
        {
            var review = SampleReviews.Full($"R{i:D4}");
            review["review_text"] = new string('x', i * 7);
            alone.Add(SampleReviews.Parse(review).Item!);
            pooled.Add(ReviewParser.Parse(SampleReviews.Bytes(review), SampleReviews.Source, arena).Item!);
        }

        // 600 items of up to 4 KB need several chunks; earlier items must not move or be overwritten.
        pooled.Select(i => Encoding.UTF8.GetString(i.Json.Span)).Should().Equal(alone.Select(i => Encoding.UTF8.GetString(i.Json.Span)));
    }

    [Test]
    public void Lineage_text_that_json_must_escape_is_escaped()
    {
        var source = SampleReviews.Source with { ShardId = "shard\"7\\é\u0001", SequenceNumber = "49\n5" };

        var parsed = SampleReviews.Parse(SampleReviews.Minimal(), source);

        var item = Item(parsed);
        item["source_shard_id"]!["S"]!.GetValue<string>().Should().Be("shard\"7\\é\u0001");
        item["source_sequence_number"]!["S"]!.GetValue<string>().Should().Be("49\n5");
        parsed.Item!.SizeBytes.Should().Be(SampleReviews.Parse(SampleReviews.Minimal()).Item!.SizeBytes
            - SampleReviews.Source.ShardId.Length - SampleReviews.Source.SequenceNumber.Length + 11 + 4);
    }

    private static JsonObject Item(JsonNode review) => Item(SampleReviews.Parse(review));

    private static JsonObject Item(ReviewParseResult parsed)
    {
        parsed.RejectReason.Should().BeNull();
        return JsonNode.Parse(parsed.Item!.Json.Span)!.AsObject();
    }
}

using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Reviews.Domain;

namespace Pipelines.Tests.ReviewIngestionProcessor;

public class ItemSizeTests
{
    [TestCase("0", 1)]
    [TestCase("7", 2)]
    [TestCase("10", 2)]
    [TestCase("12", 2)]
    [TestCase("123", 3)]
    [TestCase("1234", 3)]
    [TestCase("1.234", 4)]
    [TestCase("-7", 3)]
    [TestCase("0.000123", 3)]
    [TestCase("1.5e10", 3)]
    public void Numbers_are_sized_as_base_100_digit_pairs(string number, int expected)
    {
        DynamoDbItemRules.TryAnalyzeNumber(number, out var shape).Should().BeNull();
        DynamoDbItemRules.NumberSize(shape).Should().Be(expected);
    }

    [TestCase("1e125", null)]
    [TestCase("9.9999999999999999999999999999999999999e125", null)]
    [TestCase("1e126", "larger than DynamoDB's range")]
    [TestCase("1e-130", null)]
    [TestCase("1e-131", "smaller than DynamoDB's range")]
    [TestCase("12345678901234567890123456789012345678", null)]
    [TestCase("123456789012345678901234567890123456789", "more than 38 significant digits")]
    [TestCase("100000000000000000000000000000000000000000000", null)]
    [TestCase("1e99999999999", "exponent outside DynamoDB's range")]
    public void Numbers_outside_what_dynamodb_stores_are_refused(string number, string? reason)
    {
        var error = DynamoDbItemRules.TryAnalyzeNumber(number, out _);

        if (reason is null) error.Should().BeNull();
        else error.Should().Contain(reason);
    }

    [Test]
    public void Item_size_counts_attribute_names_and_values_like_dynamodb()
    {
        // name bytes + value: "é" is 2 UTF-8 bytes; list = 3 + per element (1 + value); map = 3 + per entry (1 + key + value).
        DynamoDbItemRules.AttributeSize("café", ItemValue.String("é")).Should().Be(5 + 2);
        DynamoDbItemRules.AttributeSize("ok", ItemValue.True).Should().Be(2 + 1);
        DynamoDbItemRules.AttributeSize("n", ItemValue.NullValue).Should().Be(1 + 1);
        DynamoDbItemRules.AttributeSize("l", ItemValue.List([ItemValue.String("ab"), ItemValue.Number("12")])).Should().Be(1 + 3 + (1 + 2) + (1 + 2));
        DynamoDbItemRules.AttributeSize("m", ItemValue.Map([new("k", ItemValue.String("v"))])).Should().Be(1 + 3 + (1 + 1 + 1));
        DynamoDbItemRules.AttributeSize("e", ItemValue.Map([])).Should().Be(1 + 3);
    }

    [Test]
    public void The_parsed_item_size_is_the_sum_over_every_stored_attribute()
    {
        var item = SampleReviews.Parse(SampleReviews.Minimal()).Item!;

        item.SizeBytes.Should().Be(item.Attributes.Sum(a => DynamoDbItemRules.AttributeSize(a.Key, a.Value)));
        item.SizeBytes.Should().BeGreaterThan(200);
    }

    [Test]
    public void An_item_of_exactly_400_KB_is_accepted_and_one_byte_more_is_rejected()
    {
        var review = SampleReviews.Minimal();
        review["review_text"] = "";
        var baseline = SampleReviews.Parse(review).Item!.SizeBytes;
        var room = DynamoDbItemRules.MaxItemBytes - baseline;

        review["review_text"] = new string('a', room);
        var atLimit = SampleReviews.Parse(review);
        review["review_text"] = new string('a', room - 1) + "é";
        var overLimit = SampleReviews.Parse(review);

        atLimit.Item!.SizeBytes.Should().Be(409_600);
        overLimit.RejectReason.Should().Be("item is 409601 bytes, over DynamoDB's 409600-byte (400 KB) item limit");
    }

    [Test]
    public void Multibyte_text_is_measured_in_utf8_bytes_not_characters()
    {
        var review = SampleReviews.Minimal();
        // 140,000 characters of 3-byte UTF-8 is 420,000 bytes: over the limit although well under 400K characters.
        review["review_text"] = new string('€', 140_000);

        SampleReviews.Parse(review).RejectReason.Should().StartWith("item is ").And.Contain("over DynamoDB's");
    }

    [Test]
    public void Nesting_up_to_32_levels_is_accepted()
    {
        var review = SampleReviews.Minimal();
        JsonNode node = "leaf";
        for (var i = 0; i < 32; i++) node = new JsonObject { ["x"] = node };
        review["deep"] = node;

        SampleReviews.Parse(review).RejectReason.Should().BeNull();
    }
}

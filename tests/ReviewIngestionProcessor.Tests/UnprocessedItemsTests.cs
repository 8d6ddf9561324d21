using System.Text;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Reviews.Storage;

namespace Pipelines.Tests.ReviewIngestionProcessor;

public class UnprocessedItemsTests
{
    [Test]
    public void The_ids_of_our_tables_unprocessed_puts_are_read_from_dynamodbs_answer()
    {
        // Shaped like the BatchWriteItem example in the DynamoDB API reference (UnprocessedItems + ConsumedCapacity).
        var answer = File.ReadAllBytes(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "batch-write-item-unprocessed.json"));

        UnprocessedItems.ReviewIds(answer, "amazon-reviews-raw").Should().Equal("R1M4KJ8QZ0P2LX", "R3QWX9KJ2M7ZQ1");
    }

    [TestCase("{\"UnprocessedItems\":{}}")]
    [TestCase("{\"UnprocessedItems\":{},\"ConsumedCapacity\":[{\"TableName\":\"amazon-reviews-raw\",\"CapacityUnits\":25}]}")]
    [TestCase("{}")]
    [TestCase("")]
    public void An_answer_with_nothing_unprocessed_means_every_put_was_taken(string answer)
    {
        UnprocessedItems.ReviewIds(Encoding.UTF8.GetBytes(answer), "amazon-reviews-raw").Should().BeNull();
    }

    [Test]
    public void Table_names_with_characters_json_escapes_still_match()
    {
        var answer = "{\"UnprocessedItems\":{\"reviews\\u002Eraw\":[{\"PutRequest\":{\"Item\":{\"review_id\":{\"S\":\"R\\u00e9\"}}}}]}}";

        UnprocessedItems.ReviewIds(Encoding.UTF8.GetBytes(answer), "reviews.raw").Should().Equal("Ré");
    }

    [Test]
    public void A_put_without_its_key_is_an_answer_that_cannot_be_matched()
    {
        var answer = "{\"UnprocessedItems\":{\"amazon-reviews-raw\":[{\"PutRequest\":{\"Item\":{\"star_rating\":{\"N\":\"4\"}}}}]}}";

        var act = () => UnprocessedItems.ReviewIds(Encoding.UTF8.GetBytes(answer), "amazon-reviews-raw");

        act.Should().Throw<System.Text.Json.JsonException>().WithMessage("*review_id*");
    }
}

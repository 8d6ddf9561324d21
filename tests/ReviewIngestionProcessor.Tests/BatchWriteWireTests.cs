using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;

namespace Pipelines.Tests.ReviewIngestionProcessor;

/// <summary>What the store puts on the wire: DynamoDB's JSON 1.0 protocol, signed, with bodies built from the items' JSON.</summary>
public class BatchWriteWireTests
{
    [Test]
    public async Task Calls_are_signed_batch_write_item_requests_in_dynamodbs_json_protocol()
    {
        var harness = new ProcessorHarness();

        await harness.RunAsync(KinesisEvents.Load("reviews-batch.json"));

        var request = harness.Dynamo.Requests.Should().ContainSingle().Subject;
        request.Target.Should().Be("DynamoDB_20120810.BatchWriteItem");
        request.ContentType.Should().Be("application/x-amz-json-1.0");
        request.AmzDate.Should().MatchRegex("^[0-9]{8}T[0-9]{6}Z$");
        request.Authorization.Should().MatchRegex(
            "^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/[0-9]{8}/us-east-1/dynamodb/aws4_request, " +
            "SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=[0-9a-f]{64}$");
        var puts = JsonNode.Parse(request.Body)!["RequestItems"]!.AsObject().Should().ContainSingle().Subject;
        puts.Key.Should().Be("amazon-reviews-raw");
        puts.Value!.AsArray().Select(p => p!["PutRequest"]!["Item"]!["review_id"]!["S"]!.GetValue<string>())
            .Should().Equal("R3QWX9KJ2M7ZQ1", "R1M4KJ8QZ0P2LX", "R2PLM5NB8VC3XZ");
    }

    [Test]
    public async Task A_refused_call_is_retried_one_item_per_call_to_find_the_item_dynamodb_refuses()
    {
        var harness = new ProcessorHarness();
        harness.Dynamo.IsInvalid = item => item["review_id"].S == "R1M4KJ8QZ0P2LX";

        var outcome = await harness.RunAsync(KinesisEvents.Load("reviews-batch.json"));

        harness.Dynamo.BatchSizes.Should().Equal(3, 1, 1, 1);
        outcome.Rejected.Should().Be(2, "the bad rating and the refused item");
        harness.Rejects.All.Should().Contain(r => r.Reason ==
            "DynamoDB refused the item: One or more parameter values were invalid: Item size has exceeded the maximum allowed size");
    }

    [Test]
    public async Task Only_the_unprocessed_items_are_sent_again()
    {
        var harness = new ProcessorHarness();
        harness.Dynamo.OnBatch = (call, keys) => call == 1 ? keys.Skip(1) : [];

        await harness.RunAsync(KinesisEvents.Load("reviews-batch.json"));

        var resent = JsonNode.Parse(harness.Dynamo.Requests[1].Body)!["RequestItems"]!["amazon-reviews-raw"]!.AsArray();
        resent.Select(p => p!["PutRequest"]!["Item"]!["review_id"]!["S"]!.GetValue<string>()).Should().Equal("R1M4KJ8QZ0P2LX", "R2PLM5NB8VC3XZ");
        harness.Dynamo.Items.Should().HaveCount(3);
    }
}

using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Cli.LocalRun;
using Pipelines.Cli.Producers;
using Pipelines.LocalCloud.Emulators;
using Pipelines.LocalCloud.Topology;

namespace Pipelines.Tests.LocalCloud;

/// <summary>The main job's checks say WRONG when the end state does not match the inputs.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class PipelineChecksTests
{
    [Test]
    public async Task AMissingRowAndAMissingRejectMakeTheReviewsPipelineWrong(CancellationToken ct)
    {
        await using var cloud = await EmulatorFixture.StartAsync(EmulatorService.DynamoDb | EmulatorService.S3);
        var topology = TopologyReader.LoadFromRepo(RepoLocator.FindRepoRoot());
        await cloud.Clients.DynamoDb.CreateTableAsync(new CreateTableRequest
        {
            TableName = "amazon-reviews-raw", BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition("review_id", "S")],
            KeySchema = [new KeySchemaElement("review_id", KeyType.HASH)],
        }, ct);
        await EmulatorFixture.WaitForTableAsync(cloud.Clients.DynamoDb, "amazon-reviews-raw");
        await cloud.Clients.S3.PutBucketAsync("pipeline-rejects", ct);
        foreach (var id in new[] { "R1", "R2" })
            await cloud.Clients.DynamoDb.PutItemAsync("amazon-reviews-raw", new() { ["review_id"] = new AttributeValue { S = id } }, ct);
        var produced = new ReviewsProduced("amazon-review-ingestion-stream", 4, 3, 1, ["R1", "R2", "R3"],
            new Dictionary<string, int> { ["truncated-json"] = 1 }, 0, 0, TimeSpan.FromSeconds(1));

        var report = new PipelineReport("reviews");
        await new PipelineChecks(new EndState(cloud.Clients.S3, cloud.Clients.DynamoDb), topology).ReviewsAsync(report, produced, ct);

        report.Ok.Should().BeFalse();
        report.Written.Should().Be(2);
        report.Problems.Should().Contain(p => p.Contains("1 valid ones missing", StringComparison.Ordinal))
            .And.Contain(p => p.Contains("0 rejected lines", StringComparison.Ordinal));
        PipelineReport.Table([report]).Should().Contain("WRONG");
    }
}

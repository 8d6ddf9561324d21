using System.Diagnostics;
using Amazon.DynamoDBv2.Model;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Cli.LocalRun;
using Pipelines.Cli.Producers;
using Pipelines.LocalCloud.Emulators;
using Pipelines.LocalCloud.Host;

namespace Pipelines.Tests.LocalCloud;

/// <summary>
/// The main job end to end on small data: real function processes, real emulators. Besides the job's own checks, the
/// test reads the live cloud itself before shutdown (tables, buckets, DLQs, counts per county, consolidated records).
/// </summary>
[TestFixture]
[NonParallelizable]
[CancelAfter(600_000)]
public sealed class MainJobTests
{
    [Test]
    public async Task TheSmallRunEndsWithEveryPipelineInTheStateItsInputsImply(CancellationToken ct)
    {
        var state = Directory.CreateTempSubdirectory("run-local-");
        var output = new StringWriter();
        var seen = new Dictionary<string, object>();
        var job = new MainJob(new MainJobOptions
        {
            RepoRoot = RepoLocator.FindRepoRoot(),
            Small = true,
            StateDirectory = Path.Combine(state.FullName, "run"),
            DrainTimeout = TimeSpan.FromMinutes(4),
            BeforeShutdown = async (host, produced, token) =>
            {
                foreach (var (k, v) in produced) seen[k] = v;
                await InspectAsync(host, produced, token);
            },
        }, output);
        var clock = Stopwatch.StartNew();
        int code;
        try
        {
            code = await job.RunAsync(ct);
        }
        finally
        {
            TestContext.Progress.WriteLine(output.ToString());
            TestContext.Progress.WriteLine($"end-to-end main job (small data) took {clock.Elapsed.TotalSeconds:0.0} s");
            state.Delete(recursive: true);
        }

        code.Should().Be(0, output.ToString());
        job.Reports.Select(r => r.Name).Should().Equal("reviews", "events", "orders", "counties", "catalog");
        job.Reports.Should().OnlyContain(r => r.Ok && r.Dlq == 0);
        output.ToString().Should().Contain("run-local: OK").And.MatchRegex(@"reviews\s+200\s+");
        seen.Should().ContainKeys("reviews", "events", "orders", "counties", "catalog");
    }

    /// <summary>Independent looks at the end state, written without the job's checks.</summary>
    private static async Task InspectAsync(LocalCloudHost host, IReadOnlyDictionary<string, object> produced, CancellationToken ct)
    {
        var reviews = (ReviewsProduced)produced["reviews"];
        var reviewItems = await host.Clients.DynamoDb.ScanAsync(new ScanRequest { TableName = "amazon-reviews-raw", Select = Amazon.DynamoDBv2.Select.COUNT }, ct);
        reviewItems.Count.Should().Be(reviews.Valid, "one row per valid review");
        foreach (var id in reviews.ValidReviewIds.Take(5))
        {
            var item = await host.Clients.DynamoDb.GetItemAsync("amazon-reviews-raw", new() { ["review_id"] = new AttributeValue { S = id } }, ct);
            item.Item.Should().ContainKey("star_rating");
        }

        var counties = (CountiesProduced)produced["counties"];
        var totals = await CountiesReport.LoadAsync(host.Clients.DynamoDb, "county-counts", ct);
        totals.ToDictionary(t => t.County, t => (int)t.Rows).Should().BeEquivalentTo(counties.ExpectedCounts, "counts per county");

        var events = (EventsProduced)produced["events"];
        var duplicatedKeys = await host.Clients.S3.ListObjectsV2Async(new() { BucketName = "event-archive", Prefix = "duplicated/" }, ct);
        duplicatedKeys.S3Objects.Should().NotBeEmpty();
        events.Duplicates.Should().BePositive();

        var catalog = (CatalogProduced)produced["catalog"];
        var outputs = await host.Clients.S3.ListObjectsV2Async(new() { BucketName = "partner-catalog-consolidated", Prefix = "year=" }, ct);
        outputs.S3Objects.Should().NotBeEmpty().And.OnlyContain(o => o.Size <= 500_000, "consolidated files stay within 500 KB");
        catalog.Files.Select(f => f.Key).Should().Contain(k => k.Contains(' ', StringComparison.Ordinal), "a partner key with a space went through S3 -> SQS");

        foreach (var queue in new[] { "catalog-ingest-dlq", "review-ingestion-processor-failures", "event-archiver-failures", "county-aggregator-failures", "orders-cdc-publisher-failures" })
            (await host.QueueDepthAsync(queue, ct)).Should().Be((0, 0), $"{queue} is empty");

        var orders = (OrdersProduced)produced["orders"];
        host.DynamoDb.Stream("OrdersRawTable")!.Count.Should().Be(orders.Writes, "one stream record per table write");
    }
}

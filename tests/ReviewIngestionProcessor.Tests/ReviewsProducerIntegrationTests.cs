using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Cli.Producers;
using Pipelines.Reviews;
using Pipelines.Reviews.Rejects;
using Pipelines.Reviews.Storage;
using Pipelines.Shared.Configuration;
using Pipelines.Shared.Events;
using Pipelines.Shared.Runtime;
using Pipelines.Shared.Sinks;

namespace Pipelines.Tests.ReviewIngestionProcessor;

/// <summary><c>produce reviews</c> onto kinesalite, then the function over what the stream holds, against dynalite and s3rver.</summary>
[TestFixture]
[NonParallelizable]
[CancelAfter(180_000)]
public sealed class ReviewsProducerIntegrationTests
{
    private const string Bucket = "pipeline-rejects";
    private EmulatorFixture _emulators = null!;

    [OneTimeSetUp]
    public async Task StartEmulators()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        _emulators = await EmulatorFixture.StartAsync(timeout.Token);
        await _emulators.S3.PutBucketAsync(Bucket, timeout.Token);
    }

    [OneTimeTearDown]
    public async Task StopEmulators() => await _emulators.DisposeAsync();

    [Test]
    public async Task Produced_reviews_end_up_stored_and_the_invalid_share_rejected_with_reasons(CancellationToken ct)
    {
        var table = "amazon-reviews-raw-" + Guid.NewGuid().ToString("N")[..8];
        var stream = "amazon-review-ingestion-stream-" + Guid.NewGuid().ToString("N")[..8];
        await _emulators.CreateTableAsync(table, "review_id", rangeKey: null, ct);
        await _emulators.CreateStreamAsync(stream, 2, ct);

        var produced = await new ReviewsProducer(_emulators.Kinesis).RunAsync(
            new ReviewsProduceOptions { Count = 330, InvalidRatio = 0.2, StreamName = stream, Seed = 7 }, null, ct);

        var handler = new ReviewIngestionHandler(
            new ReviewBatchProcessor(EmulatorStores.Reviews(_emulators, table),
                new S3RejectSink(new RejectedRecordsWriter(_emulators.S3, Bucket, $"{table}/"))),
            Tunables.FromValues(new Dictionary<string, string>()));
        foreach (var shard in (await _emulators.ReadStreamAsync(stream, ct)).Values)
        {
            foreach (var chunk in shard.Chunk(100))
            {
                var response = await handler.InvokeAsync(new KinesisEvent { Records = chunk.ToList() }, new LambdaContext(), ct);
                response.BatchItemFailures.Should().BeEmpty();
            }
        }

        produced.Sent.Should().Be(330);
        produced.Invalid.Should().Be(66);
        produced.InvalidByKind.Keys.Should().BeEquivalentTo(ReviewsProducer.InvalidKinds);
        var stored = await _emulators.ScanAsync(table, ct);
        stored.Select(i => i["review_id"].S).Should().BeEquivalentTo(produced.ValidReviewIds);
        stored.Should().OnlyContain(i => i["star_rating"].N.Length == 1 && i.ContainsKey("ingestion_timestamp") && i.ContainsKey("helpful_votes"));
        var rejects = (await _emulators.ReadObjectsAsync(Bucket, $"{table}/", ct)).Values
            .SelectMany(o => o.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Select(l => JsonNode.Parse(l)!).ToList();
        rejects.Should().HaveCount(produced.Invalid);
        var reasons = rejects.Select(r => r["reason"]!.GetValue<string>()).ToList();
        reasons.Should().Contain(r => r.StartsWith("not valid JSON", StringComparison.Ordinal));
        reasons.Should().Contain(r => r.StartsWith("invalid UTF-8", StringComparison.Ordinal));
        reasons.Should().Contain(r => r.Contains("over DynamoDB's 409600-byte", StringComparison.Ordinal));
        reasons.Should().Contain(r => r.Contains("review_date", StringComparison.Ordinal));
    }

    [Test]
    public async Task The_same_seed_produces_the_same_reviews()
    {
        var first = await Plan(11);
        var second = await Plan(11);

        second.ValidReviewIds.Should().Equal(first.ValidReviewIds);
        second.InvalidByKind.Should().Equal(first.InvalidByKind);
    }

    private async Task<ReviewsProduced> Plan(int seed)
    {
        var stream = "reviews-seed-" + Guid.NewGuid().ToString("N")[..8];
        await _emulators.CreateStreamAsync(stream, 1, CancellationToken.None);
        return await new ReviewsProducer(_emulators.Kinesis).RunAsync(
            new ReviewsProduceOptions { Count = 50, InvalidRatio = 0.3, StreamName = stream, Seed = seed, Now = DateTimeOffset.Parse("2024-06-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture) },
            null, CancellationToken.None);
    }
}

using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Cli.Producers;
using Pipelines.Counties;
using Pipelines.Counties.Rejects;
using Pipelines.Counties.Storage;
using Pipelines.LocalCloud.Emulators;
using Pipelines.Shared.Configuration;
using Pipelines.Shared.Events;
using Pipelines.Shared.Runtime;
using Pipelines.Shared.Sinks;

namespace Pipelines.Tests.CountyAggregator;

/// <summary>
/// The CSV producer, kinesalite, the function and the report against dynalite and s3rver: the sample file goes
/// through the stream in the topology's batch size and the report's totals must equal what was sent.
/// </summary>
[TestFixture]
[NonParallelizable]
[CancelAfter(180_000)]
public sealed class CountyAggregatorIntegrationTests
{
    private const string Bucket = "pipeline-rejects";
    private const int BatchSize = 100;
    private EmulatorFixture _emulators = null!;
    private string _table = "";
    private string _stream = "";

    public static string SampleCsv => Path.Combine(RepoLocator.FindRepoRoot(), "samples", "counties", "recommended-fishing-rivers.csv");

    [OneTimeSetUp]
    public async Task StartEmulators()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        _emulators = await EmulatorFixture.StartAsync(timeout.Token);
        await _emulators.S3.PutBucketAsync(Bucket, timeout.Token);
    }

    [OneTimeTearDown]
    public async Task StopEmulators() => await _emulators.DisposeAsync();

    [SetUp]
    public async Task CreateTableAndStream()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        _table = $"county-counts-{suffix}";
        _stream = $"county-ingestion-stream-{suffix}";
        // The county-counts table as topology.json describes it: hash County, range BatchId.
        await _emulators.CreateTableAsync(_table, "County", "BatchId", CancellationToken.None);
        await _emulators.CreateStreamAsync(_stream, 2, CancellationToken.None);
    }

    private CountyAggregatorHandler Handler(string prefix) => new(
        new CountyBatchProcessor(
            new DynamoCountStore(_emulators.DynamoDb, _table),
            new S3RejectSink(new RejectedRecordsWriter(_emulators.S3, Bucket, prefix))),
        Tunables.FromValues(new Dictionary<string, string>()));

    [Test]
    public async Task The_sample_csv_streamed_through_kinesis_is_counted_exactly_per_county(CancellationToken ct)
    {
        var prefix = $"counties-{_table}/";
        var produced = await new CountiesProducer(_emulators.Kinesis).RunAsync(
            new CountiesProduceOptions { CsvPath = SampleCsv, Rate = 5000, StreamName = _stream }, null, ct);

        var handler = Handler(prefix);
        foreach (var batch in Batches(await _emulators.ReadStreamAsync(_stream, ct)))
        {
            var response = await handler.InvokeAsync(batch, new LambdaContext(), ct);
            response.BatchItemFailures.Should().BeEmpty();
        }

        produced.Sent.Should().Be(560);
        produced.Failed.Should().Be(0);
        var report = await CountiesReport.LoadAsync(_emulators.DynamoDb, _table, ct);
        report.ToDictionary(t => t.County, t => (int)t.Rows).Should().Equal(produced.ExpectedCounts);
        report.Sum(t => t.Rows).Should().Be(560 - produced.BlankCounty);
        var rejects = await _emulators.ReadLinesAsync(Bucket, prefix, ct);
        rejects.Should().HaveCount(produced.BlankCounty).And.HaveCount(7);
        rejects.Select(l => JsonNode.Parse(l)!["reason"]!.GetValue<string>()).Should().OnlyContain(r => r == "County is empty");
        CountiesReport.Format(report).Should().Contain("Delaware").And.Contain($"{report.Count} counties");
    }

    [Test]
    public async Task Redelivered_bisected_and_larger_retried_batches_leave_the_totals_exact(CancellationToken ct)
    {
        var produced = await new CountiesProducer(_emulators.Kinesis).RunAsync(
            new CountiesProduceOptions { CsvPath = SampleCsv, Rate = 5000, StreamName = _stream, Limit = 300 }, null, ct);
        var handler = Handler($"retries-{_table}/");

        // Every attempt starts at the shard's checkpoint, as Lambda's do; attempts that "die" have written their items.
        foreach (var (_, records) in await _emulators.ReadStreamAsync(_stream, ct))
        {
            var checkpoint = 0;
            while (checkpoint < records.Count)
            {
                var full = records.Skip(checkpoint).Take(BatchSize).ToList();
                await handler.InvokeAsync(Event(full), new LambdaContext(), ct);            // dies after writing: bisected
                var half = Math.Max(1, full.Count / 2);
                var first = Event(records.Skip(checkpoint).Take(half));
                await handler.InvokeAsync(first, new LambdaContext(), ct);                  // first half succeeds...
                await handler.InvokeAsync(first, new LambdaContext(), ct);                  // ...and is delivered twice
                checkpoint += half;
                await handler.InvokeAsync(Event(records.Skip(checkpoint).Take(full.Count - half)), new LambdaContext(), ct); // dies again
                var larger = records.Skip(checkpoint).Take(full.Count - half + 10).ToList();
                await handler.InvokeAsync(Event(larger), new LambdaContext(), ct);          // a larger retry succeeds
                checkpoint += larger.Count;
            }
        }

        var report = await CountiesReport.LoadAsync(_emulators.DynamoDb, _table, ct);
        report.ToDictionary(t => t.County, t => (int)t.Rows).Should().Equal(produced.ExpectedCounts);
    }

    [Test]
    public async Task The_producer_holds_its_rate_and_stamps_each_row_with_a_utc_timestamp(CancellationToken ct)
    {
        var produced = await new CountiesProducer(_emulators.Kinesis).RunAsync(
            new CountiesProduceOptions { CsvPath = SampleCsv, Rate = 20, StreamName = _stream, Limit = 40 }, null, ct);

        produced.Sent.Should().Be(40);
        // Rows are sent only when due, so the producer can never run ahead of its rate (40 rows span >= 39/20 s)
        // however busy the machine; the lower bound only catches a pacer that stalls.
        produced.Elapsed.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(39.0 / 20));
        produced.AchievedRate.Should().BeInRange(10, 20.0 * 40 / 39);
        var records = (await _emulators.ReadStreamAsync(_stream, ct)).Values.SelectMany(r => r).ToList();
        records.Should().HaveCount(40);
        var first = JsonNode.Parse(Convert.FromBase64String(records[0].Kinesis.Data))!.AsObject();
        first.Select(p => p.Key).Should().Equal("Water", "County", "Fish Species", "Comments", "timestamp");
        first["timestamp"]!.GetValue<string>().Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$");
        records.Should().OnlyContain(r => r.Kinesis.PartitionKey.Length > 0);
    }

    private static IEnumerable<KinesisEvent> Batches(Dictionary<string, List<KinesisEventRecord>> shards) =>
        shards.Values.SelectMany(records => records.Chunk(BatchSize).Select(chunk => Event(chunk)));

    private static KinesisEvent Event(IEnumerable<KinesisEventRecord> records) => new() { Records = records.ToList() };
}

using System.Text;
using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.LocalCloud.Emulators;
using Pipelines.LocalCloud.EventSources;
using Pipelines.LocalCloud.Firehose;
using Pipelines.Shared.Aws;

namespace Pipelines.Tests.LocalCloud;

/// <summary>Firehose from kinesalite through a transform to s3rver: dynamic partitions, error prefix, dropped records.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class FirehoseDeliveryTests
{
    private EmulatorFixture _cloud = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _cloud = await EmulatorFixture.StartAsync(EmulatorService.Kinesis | EmulatorService.S3);

    [OneTimeTearDown]
    public async Task StopAsync() => await _cloud.DisposeAsync();

    [Test]
    public void PrefixesRenderPartitionKeysTimestampsAndTheErrorType()
    {
        var keys = new Dictionary<string, string> { ["year"] = "2024", ["month"] = "05", ["day"] = "06" };
        var at = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
        FirehosePrefix.Render("orders/year=!{partitionKeyFromLambda:year}/month=!{partitionKeyFromLambda:month}/day=!{partitionKeyFromLambda:day}/", keys, at)
            .Should().Be("orders/year=2024/month=05/day=06/");
        FirehosePrefix.Render("errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/", null, at, "processing-failed")
            .Should().Be("errors/processing-failed/year=2025/month=01/day=02/");
        FirehosePrefix.Render("orders/year=!{partitionKeyFromLambda:year}/", new Dictionary<string, string>(), at).Should().BeNull("a missing partition key cannot be rendered");
    }

    [Test]
    public async Task RoutesOkProcessingFailedAndDroppedRecordsLikeFirehose(CancellationToken ct)
    {
        var stream = EmulatorFixture.Unique("sales");
        var bucket = EmulatorFixture.Unique("analytics");
        await _cloud.Clients.Kinesis.CreateStreamAsync(stream, 2, ct);
        await _cloud.Clients.Kinesis.WaitForActiveAsync(stream, TimeSpan.FromSeconds(10), ct);
        await _cloud.Clients.S3.PutBucketAsync(bucket, ct);
        var entries = Enumerable.Range(1, 30).Select(i => new PutRecordsEntry(
            Encoding.UTF8.GetBytes(new JsonObject { ["n"] = i, ["day"] = i % 2 == 0 ? "06" : "07" }.ToJsonString()), "pk" + i)).ToList();
        await _cloud.Clients.Kinesis.PutRecordsAsync(stream, entries, ct);

        var transform = new ScriptedFunction((e, _) =>
        {
            e["deliveryStreamArn"]!.GetValue<string>().Should().Be("arn:aws:firehose:us-east-1:123456789012:deliverystream/orders-to-s3");
            e["sourceKinesisStreamArn"]!.GetValue<string>().Should().EndWith("stream/" + stream);
            var answers = new JsonArray();
            foreach (var r in e["records"]!.AsArray())
            {
                var data = JsonNode.Parse(Convert.FromBase64String(r!["data"]!.GetValue<string>()))!;
                var n = data["n"]!.GetValue<int>();
                r["kinesisRecordMetadata"]!["shardId"]!.GetValue<string>().Should().StartWith("shardId-");
                r["approximateArrivalTimestamp"]!.GetValue<long>().Should().BeGreaterThan(1_600_000_000_000, "Firehose sends epoch milliseconds");
                var answer = new JsonObject { ["recordId"] = r["recordId"]!.GetValue<string>() };
                if (n % 10 == 0) answer["result"] = "ProcessingFailed";
                else if (n % 7 == 0) answer["result"] = "Dropped";
                else
                {
                    answer["result"] = "Ok";
                    answer["data"] = Convert.ToBase64String(Encoding.UTF8.GetBytes($"line {n}\n"));
                    answer["metadata"] = new JsonObject { ["partitionKeys"] = new JsonObject { ["year"] = "2024", ["month"] = "05", ["day"] = data["day"]!.GetValue<string>() } };
                }
                if (n % 10 == 0) answer["data"] = r["data"]!.GetValue<string>();
                answers.Add(answer);
            }
            return ScriptedFunction.Ok(new JsonObject { ["records"] = answers }.ToJsonString());
        });
        var settings = new FirehoseSettings
        {
            Name = "orders-to-s3", SourceStream = stream, Bucket = bucket, TransformFunction = "orders-firehose-transform",
            Prefix = "orders/year=!{partitionKeyFromLambda:year}/month=!{partitionKeyFromLambda:month}/day=!{partitionKeyFromLambda:day}/",
            ErrorPrefix = "errors/!{firehose:error-output-type}/year=!{timestamp:yyyy}/",
            BufferingInterval = TimeSpan.FromMilliseconds(500), ProcessorBufferInterval = TimeSpan.FromMilliseconds(300),
        };
        await using var firehose = new FirehoseDelivery(settings, new KinesisShardSource(_cloud.Clients.Kinesis, stream, "orders-firehose-transform"),
            transform, new S3DeliveryWriter(_cloud.Clients.S3));
        await firehose.StartAsync(ct);
        await LocalEmulatorsTests.WaitUntilAsync(() => firehose.RecordsDelivered + firehose.RecordsToErrorPrefix + firehose.RecordsDropped == 30 && firehose.IsIdle, ct, 20_000);

        var objects = await _cloud.ReadBucketAsync(bucket);
        objects.Keys.Should().OnlyContain(k => k.StartsWith("orders/year=2024/month=05/day=0", StringComparison.Ordinal) || k.StartsWith("errors/processing-failed/year=", StringComparison.Ordinal));
        objects.Keys.Where(k => k.StartsWith("orders/", StringComparison.Ordinal)).Should()
            .OnlyContain(k => System.Text.RegularExpressions.Regex.IsMatch(k, @"/orders-to-s3-1-\d{4}-\d\d-\d\d-\d\d-\d\d-\d\d-[0-9a-f-]{36}$"), "Firehose's object naming");
        var okLines = objects.Where(o => o.Key.StartsWith("orders/", StringComparison.Ordinal))
            .SelectMany(o => o.Value.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => (o.Key, Line: l))).ToList();
        var expectedOk = Enumerable.Range(1, 30).Where(n => n % 10 != 0 && n % 7 != 0).ToList();
        okLines.Select(l => l.Line).Should().BeEquivalentTo(expectedOk.Select(n => $"line {n}"));
        okLines.Where(l => l.Line is "line 2" or "line 4").Should().OnlyContain(l => l.Key.Contains("/day=06/", StringComparison.Ordinal));
        okLines.Where(l => l.Line is "line 1" or "line 3").Should().OnlyContain(l => l.Key.Contains("/day=07/", StringComparison.Ordinal));

        var errors = objects.Where(o => o.Key.StartsWith("errors/", StringComparison.Ordinal))
            .SelectMany(o => o.Value.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Select(EmulatorFixture.Json).ToList();
        errors.Should().HaveCount(3);
        errors.Should().OnlyContain(e => e["errorCode"]!.GetValue<string>() == "Lambda.ProcessingFailedStatus");
        errors.Select(e => JsonNode.Parse(Convert.FromBase64String(e["rawData"]!.GetValue<string>()))!["n"]!.GetValue<int>()).Should().BeEquivalentTo([10, 20, 30]);
        errors[0]["lambdaArn"]!.GetValue<string>().Should().Be("arn:aws:lambda:us-east-1:123456789012:function:orders-firehose-transform");
        firehose.RecordsDropped.Should().Be(4, "7, 14, 21 and 28 were dropped");
    }
}

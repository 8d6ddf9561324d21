using System.Text;
using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.LocalCloud.Emulators;
using Pipelines.LocalCloud.EventSources;
using Pipelines.LocalCloud.Host;
using Pipelines.Shared.Aws;

namespace Pipelines.Tests.LocalCloud;

/// <summary>The Kinesis mapping against kinesalite: per-shard order, batch size, and a poison record ending in the on-failure queue.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class KinesisEventSourceMappingTests
{
    private EmulatorFixture _cloud = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _cloud = await EmulatorFixture.StartAsync(EmulatorService.Kinesis | EmulatorService.Sqs);

    [OneTimeTearDown]
    public async Task StopAsync() => await _cloud.DisposeAsync();

    [Test]
    public async Task DeliversEachShardInOrderAndReportsAPoisonRecordToTheOnFailureQueue(CancellationToken ct)
    {
        var kinesis = _cloud.Clients.Kinesis;
        var stream = EmulatorFixture.Unique("reviews");
        await kinesis.CreateStreamAsync(stream, 2, ct);
        await kinesis.WaitForActiveAsync(stream, TimeSpan.FromSeconds(10), ct);
        var failuresUrl = await _cloud.Clients.Sqs.CreateQueueAsync(EmulatorFixture.Unique("failures"), cancellationToken: ct);

        var puts = Enumerable.Range(0, 40).Select(i => new PutRecordsEntry(Encoding.UTF8.GetBytes($"record-{i}"), $"key-{i % 7}")).ToList();
        var put = await kinesis.PutRecordsAsync(stream, puts, ct);
        var poison = await kinesis.PutRecordAsync(stream, Encoding.UTF8.GetBytes("poison"), "key-3", cancellationToken: ct);

        var fn = new ScriptedFunction((e, _) =>
        {
            var failed = e["Records"]!.AsArray()
                .Where(r => Encoding.UTF8.GetString(Convert.FromBase64String(r!["kinesis"]!["data"]!.GetValue<string>())) == "poison")
                .Select(r => r!["kinesis"]!["sequenceNumber"]!.GetValue<string>()).ToArray();
            return ScriptedFunction.PartialFailure(failed);
        });
        await using var mapping = new StreamEventSourceMapping(new StreamMappingSettings
        {
            FunctionName = "review-ingestion-processor", BatchSize = 5, BisectBatchOnFunctionError = true, MaximumRetryAttempts = 2,
            RetryDelay = TimeSpan.FromMilliseconds(10),
        }, new KinesisShardSource(kinesis, stream, "review-ingestion-processor"), fn, new SqsOnFailureDestination(_cloud.Clients.Sqs, failuresUrl));
        await mapping.StartAsync(ct);
        await LocalEmulatorsTests.WaitUntilAsync(() => mapping.Stats.RecordsCompleted + mapping.Stats.RecordsToOnFailure == 41 && !mapping.Stats.IsBusy, ct, 20_000);

        var events = fn.Events.ToList();
        events.Should().OnlyContain(e => e["Records"]!.AsArray().Count <= 5, "batch size is 5");
        var firstSeen = new Dictionary<string, List<string>>();
        foreach (var record in events.SelectMany(e => e["Records"]!.AsArray()))
        {
            var shard = record!["eventID"]!.GetValue<string>().Split(':')[0];
            var seq = record["kinesis"]!["sequenceNumber"]!.GetValue<string>();
            var list = firstSeen.TryGetValue(shard, out var l) ? l : firstSeen[shard] = [];
            if (!list.Contains(seq)) list.Add(seq);
        }
        foreach (var (shard, seqs) in firstSeen)
            seqs.Should().BeInAscendingOrder(Comparer<string>.Create(CompareSequence), $"{shard} is delivered in order");
        firstSeen.Values.Sum(s => s.Count).Should().Be(41);
        put.Records.Select(r => r.SequenceNumber).Should().BeSubsetOf(firstSeen.Values.SelectMany(s => s));

        var failures = await _cloud.DrainQueueAsync(failuresUrl, TimeSpan.FromMilliseconds(300));
        var message = EmulatorFixture.Json(failures.Should().ContainSingle().Subject.Body);
        message["requestContext"]!["condition"]!.GetValue<string>().Should().Be("RetryAttemptsExhausted");
        message["requestContext"]!["approximateInvokeCount"]!.GetValue<int>().Should().Be(3, "one attempt and two retries");
        var info = message["KinesisBatchInfo"]!;
        info["shardId"]!.GetValue<string>().Should().Be(poison.ShardId);
        info["startSequenceNumber"]!.GetValue<string>().Should().Be(poison.SequenceNumber);
        info["endSequenceNumber"]!.GetValue<string>().Should().Be(poison.SequenceNumber);
        info["batchSize"]!.GetValue<int>().Should().Be(1);
        info["streamArn"]!.GetValue<string>().Should().Be($"arn:aws:kinesis:us-east-1:123456789012:stream/{stream}");
    }

    [Test]
    public void TheEventRecordHasTheShapeLambdaSends()
    {
        var r = KinesisEventJson.Record("arn:aws:kinesis:us-east-1:123456789012:stream/s", "shardId-000000000001", "4959", "pk",
            "Hello, this is a test."u8, DateTimeOffset.FromUnixTimeMilliseconds(1545084650987), "fn");
        r["kinesis"]!["data"]!.GetValue<string>().Should().Be("SGVsbG8sIHRoaXMgaXMgYSB0ZXN0Lg==");
        r["kinesis"]!["approximateArrivalTimestamp"]!.ToJsonString().Should().Be("1545084650.987");
        r["kinesis"]!["kinesisSchemaVersion"]!.GetValue<string>().Should().Be("1.0");
        r["eventID"]!.GetValue<string>().Should().Be("shardId-000000000001:4959");
        r["eventName"]!.GetValue<string>().Should().Be("aws:kinesis:record");
        r["eventSourceARN"]!.GetValue<string>().Should().Be("arn:aws:kinesis:us-east-1:123456789012:stream/s");
    }

    private static int CompareSequence(string a, string b) =>
        a.Length != b.Length ? a.Length.CompareTo(b.Length) : string.CompareOrdinal(a, b);
}

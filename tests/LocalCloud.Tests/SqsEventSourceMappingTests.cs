using System.Globalization;
using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.LocalCloud.Emulators;
using Pipelines.LocalCloud.EventSources;

namespace Pipelines.Tests.LocalCloud;

/// <summary>The SQS mapping against the SQS emulator: partial batch responses, visibility timeout, redrive to the DLQ.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class SqsEventSourceMappingTests
{
    private EmulatorFixture _cloud = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _cloud = await EmulatorFixture.StartAsync(EmulatorService.Sqs);

    [OneTimeTearDown]
    public async Task StopAsync() => await _cloud.DisposeAsync();

    [Test]
    public async Task DeletesOnlySucceededMessagesAndRedrivesThePoisonOneAfterMaxReceiveCount(CancellationToken ct)
    {
        var sqs = _cloud.Clients.Sqs;
        var dlqName = EmulatorFixture.Unique("ingest-dlq");
        var dlqUrl = await sqs.CreateQueueAsync(dlqName, cancellationToken: ct);
        var queueName = EmulatorFixture.Unique("ingest");
        var queueUrl = await sqs.CreateQueueAsync(queueName, new Dictionary<string, string>
        {
            ["VisibilityTimeout"] = "1",
            ["RedrivePolicy"] = new JsonObject { ["deadLetterTargetArn"] = await _cloud.QueueArnAsync(dlqUrl), ["maxReceiveCount"] = "2" }.ToJsonString(),
        }, ct);
        for (var i = 0; i < 5; i++) await sqs.SendMessageAsync(queueUrl, "good-" + i, cancellationToken: ct);
        await sqs.SendMessageAsync(queueUrl, "poison", cancellationToken: ct);

        var deliveries = new List<(string Body, string ReceiveCount, DateTime At)>();
        var fn = new ScriptedFunction((e, _) =>
        {
            var records = e["Records"]!.AsArray();
            lock (deliveries)
            {
                foreach (var r in records)
                    deliveries.Add((r!["body"]!.GetValue<string>(), r["attributes"]!["ApproximateReceiveCount"]!.GetValue<string>(), DateTime.UtcNow));
            }
            var poison = records.Where(r => r!["body"]!.GetValue<string>() == "poison").Select(r => r!["messageId"]!.GetValue<string>()).ToArray();
            return ScriptedFunction.PartialFailure(poison);
        });
        await using var mapping = new SqsEventSourceMapping(new SqsMappingSettings
        {
            FunctionName = "catalog-consolidator", QueueName = queueName, BatchSize = 10,
            MaximumBatchingWindow = TimeSpan.FromMilliseconds(300), MaximumConcurrency = 1,
        }, sqs, fn, line => TestContext.Progress.WriteLine(line));
        await mapping.StartAsync(ct);

        var dlq = new List<Pipelines.Shared.Aws.SqsReceivedMessage>();
        await LocalEmulatorsTests.WaitUntilAsync(() =>
        {
            dlq.AddRange(sqs.ReceiveMessageAsync(dlqUrl, new() { WaitTimeSeconds = 0 }, ct).GetAwaiter().GetResult());
            return dlq.Count > 0;
        }, ct, timeoutMs: 20_000);

        dlq.Should().ContainSingle().Which.Body.Should().Be("poison");
        List<(string Body, string ReceiveCount, DateTime At)> seen;
        lock (deliveries) seen = [.. deliveries];
        seen.Where(d => d.Body.StartsWith("good", StringComparison.Ordinal)).Select(d => d.Body).Should()
            .BeEquivalentTo(Enumerable.Range(0, 5).Select(i => "good-" + i.ToString(CultureInfo.InvariantCulture)), "succeeded messages are deleted, never redelivered");
        var poisonDeliveries = seen.Where(d => d.Body == "poison").ToList();
        poisonDeliveries.Select(d => d.ReceiveCount).Should().Equal("1", "2");
        (poisonDeliveries[1].At - poisonDeliveries[0].At).Should().BeGreaterThan(TimeSpan.FromMilliseconds(800),
            "a failed message stays invisible for the queue's visibility timeout before it is retried");
        var (visible, inFlight) = (await sqs.GetQueueAttributesAsync(queueUrl, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"], ct)) is var a
            ? (a["ApproximateNumberOfMessages"], a["ApproximateNumberOfMessagesNotVisible"]) : default;
        (visible, inFlight).Should().Be(("0", "0"));
    }

    [Test]
    public async Task TheEventHasTheShapeLambdaSends(CancellationToken ct)
    {
        var queueName = EmulatorFixture.Unique("shape");
        var queueUrl = await _cloud.Clients.Sqs.CreateQueueAsync(queueName, cancellationToken: ct);
        await _cloud.Clients.Sqs.SendMessageAsync(queueUrl, "{\"hello\":1}", cancellationToken: ct);
        var fn = new ScriptedFunction((_, _) => ScriptedFunction.Ok());
        await using var mapping = new SqsEventSourceMapping(new SqsMappingSettings { FunctionName = "fn", QueueName = queueName }, _cloud.Clients.Sqs, fn);
        await mapping.StartAsync(ct);
        await LocalEmulatorsTests.WaitUntilAsync(() => !fn.Events.IsEmpty, ct);

        var record = fn.Events.Single()["Records"]!.AsArray().Should().ContainSingle().Subject!;
        record["messageId"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        record["receiptHandle"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        record["body"]!.GetValue<string>().Should().Be("{\"hello\":1}");
#pragma warning disable CA5351 // SQS's own checksum
        record["md5OfBody"]!.GetValue<string>().Should().Be(Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData("{\"hello\":1}"u8)));
#pragma warning restore CA5351
        record["attributes"]!["ApproximateReceiveCount"]!.GetValue<string>().Should().Be("1");
        record["attributes"]!["SentTimestamp"]!.GetValue<string>().Should().MatchRegex(@"^\d{13}$");
        record["eventSource"]!.GetValue<string>().Should().Be("aws:sqs");
        record["eventSourceARN"]!.GetValue<string>().Should().Be($"arn:aws:sqs:us-east-1:123456789012:{queueName}");
        record["awsRegion"]!.GetValue<string>().Should().Be("us-east-1");
    }
}

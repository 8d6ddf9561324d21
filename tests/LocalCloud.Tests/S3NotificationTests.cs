using System.Text;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.LocalCloud.Emulators;
using Pipelines.LocalCloud.S3Notifications;
using Amazon.S3.Model;

namespace Pipelines.Tests.LocalCloud;

[TestFixture]
[CancelAfter(60_000)]
public sealed class S3NotificationTests
{
    private EmulatorFixture _cloud = null!;

    [OneTimeSetUp]
    public async Task StartAsync() => _cloud = await EmulatorFixture.StartAsync(EmulatorService.S3 | EmulatorService.Sqs);

    [OneTimeTearDown]
    public async Task StopAsync() => await _cloud.DisposeAsync();

    [Test]
    public void KeysAreEncodedAsS3DoesInNotifications()
    {
        S3KeyEncoder.Encode("incoming/My File ü.jsonl").Should().Be("incoming/My+File+%C3%BC.jsonl");
        S3KeyEncoder.Encode("year=2024/a+b(1).jsonl").Should().Be("year%3D2024/a%2Bb%281%29.jsonl");
    }

    [Test]
    public async Task AMatchingPutArrivesAsTheJsonS3SendsAndOthersAreFiltered(CancellationToken ct)
    {
        var bucket = EmulatorFixture.Unique("source");
        var queue = EmulatorFixture.Unique("ingest");
        await _cloud.Clients.S3.PutBucketAsync(bucket, ct);
        var queueUrl = await _cloud.Clients.Sqs.CreateQueueAsync(queue, cancellationToken: ct);
        await using var router = new S3NotificationRouter(_cloud.Clients.Sqs);
        _cloud.Emulators.OnS3Event(router.Publish);
        await router.AddRuleAsync(new S3NotificationRule("catalog", bucket, queue, ["s3:ObjectCreated:*"], "incoming/", ".jsonl"), sendTestEvent: true, ct);

        var content = Encoding.UTF8.GetBytes("{\"sku\":\"A1\"}\n");
        foreach (var key in new[] { "incoming/My File ü.jsonl", "incoming/notes.txt", "elsewhere/x.jsonl" })
        {
            await _cloud.Clients.S3.PutObjectAsync(new PutObjectRequest
            {
                BucketName = bucket, Key = key, InputStream = new MemoryStream(content), UseChunkEncoding = false,
            }, ct);
        }
        await _cloud.Clients.S3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket, Key = "incoming/My File ü.jsonl", InputStream = new MemoryStream(content), UseChunkEncoding = false,
        }, ct);
        await LocalEmulatorsTests.WaitUntilAsync(() => router.Stats.RecordsRead == 4 && router.Pending == 0, ct);

        var bodies = (await _cloud.DrainQueueAsync(queueUrl, TimeSpan.FromMilliseconds(500))).Select(m => EmulatorFixture.Json(m.Body)).ToList();
        bodies.Should().HaveCount(3, "one test event and two notifications for the .jsonl under incoming/");
        var testEvent = bodies.Should().ContainSingle(b => b["Event"] != null).Subject;
        testEvent["Event"]!.GetValue<string>().Should().Be("s3:TestEvent");
        testEvent["Bucket"]!.GetValue<string>().Should().Be(bucket);

        var records = bodies.Where(b => b["Records"] != null).Select(b => b["Records"]!.AsArray().Should().ContainSingle().Subject!).ToList();
        var first = records[0];
        first["eventVersion"]!.GetValue<string>().Should().Be("2.1");
        first["eventSource"]!.GetValue<string>().Should().Be("aws:s3");
        first["awsRegion"]!.GetValue<string>().Should().Be("us-east-1");
        first["eventName"]!.GetValue<string>().Should().Be("ObjectCreated:Put");
        first["s3"]!["configurationId"]!.GetValue<string>().Should().Be("catalog");
        first["s3"]!["bucket"]!["name"]!.GetValue<string>().Should().Be(bucket);
        first["s3"]!["bucket"]!["arn"]!.GetValue<string>().Should().Be("arn:aws:s3:::" + bucket);
        var o = first["s3"]!["object"]!;
        o["key"]!.GetValue<string>().Should().Be("incoming/My+File+%C3%BC.jsonl");
        o["size"]!.GetValue<long>().Should().Be(content.Length);
        o["eTag"]!.GetValue<string>().Should().MatchRegex("^[0-9a-f]{32}$");
        var sequencers = records.Select(r => r["s3"]!["object"]!["sequencer"]!.GetValue<string>()).ToList();
        string.CompareOrdinal(sequencers[1], sequencers[0]).Should().BePositive("a later event on the same key has a greater sequencer");
    }
}

using System.Text;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Shared.Aws;
using Pipelines.Shared.Sinks;
using Pipelines.Tests.Shared.Aws;

namespace Pipelines.Tests.Shared.Sinks;

/// <summary>Runs the real AWS SDK S3 client against a loopback server to see exactly what a rejected-records PUT sends.</summary>
[TestFixture]
public sealed class RejectedRecordsWriterTests
{
    [Test]
    public async Task Writes_one_plain_put_with_the_json_lines_under_the_prefix()
    {
        await using var server = new LoopbackAwsServer(_ => new ScriptedResponse(200, "", Headers: new Dictionary<string, string> { ["ETag"] = "\"abc\"" }));
        using var s3 = AwsSdkClients.CreateS3(server.Endpoint, "us-east-1", TestAws.Credentials);
        var writer = new RejectedRecordsWriter(s3, "events-archive", "rejected/event-archiver");
        RejectedRecord[] records =
        [
            new("invalid JSON", "seq-1", Encoding.UTF8.GetBytes("{oops"), "pk-1", "shardId-000000000000", DateTimeOffset.UnixEpoch),
            new("invalid base64", "seq-2", new byte[] { 0xFF }),
        ];

        var key = await writer.WriteAsync("2025/01/01/batch-1.jsonl", records);

        key.Should().Be("rejected/event-archiver/2025/01/01/batch-1.jsonl");
        var put = server.Requests.Should().ContainSingle().Subject;
        put.Method.Should().Be("PUT");
        put.Path.Should().Be("/events-archive/rejected/event-archiver/2025/01/01/batch-1.jsonl", "custom endpoints use path-style addressing");
        put.ContentType.Should().Be("application/x-ndjson");
        put.Body.Should().Equal(RejectedRecordLines.Format(records), "the body must arrive unchunked and byte-for-byte");
        put.Headers.Should().NotContainKey("Content-Encoding");
        put.Headers.GetValueOrDefault("x-amz-content-sha256").Should().NotStartWith("STREAMING-");
        put.Headers.Should().NotContainKey("x-amz-trailer");
    }

    [Test]
    public async Task Nothing_is_written_for_an_empty_batch()
    {
        await using var server = new LoopbackAwsServer();
        using var s3 = AwsSdkClients.CreateS3(server.Endpoint, "us-east-1", TestAws.Credentials);
        var writer = new RejectedRecordsWriter(s3, "bucket", "rejected/");

        var key = await writer.WriteAsync("x.jsonl", []);

        key.Should().BeNull();
        server.Requests.Should().BeEmpty();
    }

    [Test]
    public async Task S3ObjectWriter_uploads_streams_that_cannot_seek()
    {
        await using var server = new LoopbackAwsServer(_ => new ScriptedResponse(200, "", Headers: new Dictionary<string, string> { ["ETag"] = "\"e1\"" }));
        using var s3 = AwsSdkClients.CreateS3(server.Endpoint, "us-east-1", TestAws.Credentials);
        var payload = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("{\"n\":1}\n", 5000)));
        await using var forwardOnly = new ForwardOnlyStream(payload);

        var etag = await new S3ObjectWriter(s3).PutAsync("bucket", "out/part-0.jsonl", forwardOnly, "application/x-ndjson");

        etag.Should().Be("\"e1\"");
        server.Requests.Single().Body.Should().Equal(payload);
    }

    private sealed class ForwardOnlyStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}

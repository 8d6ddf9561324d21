using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.LocalCloud.Emulators;

namespace Pipelines.Tests.LocalCloud;

[TestFixture]
[CancelAfter(120_000)]
public sealed class LocalEmulatorsTests
{
    [Test]
    public async Task StartsEveryEmulatorOnLoopbackAndEachOneWorks(CancellationToken ct)
    {
        await using var cloud = await LocalEmulators.StartAsync(new EmulatorOptions(), ct);

        var env = cloud.EnvironmentVariables();
        env.Should().ContainKeys("AWS_ENDPOINT_URL_KINESIS", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_ENDPOINT_URL_S3",
            "AWS_ENDPOINT_URL_SQS", "AWS_ENDPOINT_URL_SSM");
        env["AWS_ACCESS_KEY_ID"].Should().Be("S3RVER");
        env["AWS_REGION"].Should().Be("us-east-1");
        foreach (var url in env.Where(kv => kv.Key.StartsWith("AWS_ENDPOINT_URL_", StringComparison.Ordinal)).Select(kv => kv.Value))
            url.Should().StartWith("http://127.0.0.1:");

        await RawAwsJson.KinesisAsync(cloud.Kinesis, "CreateStream", new JsonObject { ["StreamName"] = "stream-one", ["ShardCount"] = 2 });
        // Like DynamoDB tables, a new stream is CREATING for a moment.
        await WaitUntilAsync(() => RawAwsJson.KinesisAsync(cloud.Kinesis, "DescribeStreamSummary", new JsonObject { ["StreamName"] = "stream-one" })
            .GetAwaiter().GetResult()["StreamDescriptionSummary"]!["StreamStatus"]!.GetValue<string>() == "ACTIVE", ct);
        var shards = await RawAwsJson.KinesisAsync(cloud.Kinesis, "ListShards", new JsonObject { ["StreamName"] = "stream-one" });
        shards["Shards"]!.AsArray().Should().HaveCount(2);

        await RawAwsJson.DynamoDbAsync(cloud.DynamoDb, "CreateTable", new JsonObject
        {
            ["TableName"] = "table-one",
            ["AttributeDefinitions"] = new JsonArray(new JsonObject { ["AttributeName"] = "id", ["AttributeType"] = "S" }),
            ["KeySchema"] = new JsonArray(new JsonObject { ["AttributeName"] = "id", ["KeyType"] = "HASH" }),
            ["BillingMode"] = "PAY_PER_REQUEST",
        });
        // CreateTable answers while the table is CREATING; writes need it ACTIVE.
        await WaitUntilAsync(() => RawAwsJson.DynamoDbAsync(cloud.DynamoDb, "DescribeTable", new JsonObject { ["TableName"] = "table-one" })
            .GetAwaiter().GetResult()["Table"]!["TableStatus"]!.GetValue<string>() == "ACTIVE", ct);
        await RawAwsJson.DynamoDbAsync(cloud.DynamoDb, "PutItem", new JsonObject
        {
            ["TableName"] = "table-one", ["Item"] = new JsonObject { ["id"] = new JsonObject { ["S"] = "a" } },
        });
        var item = await RawAwsJson.DynamoDbAsync(cloud.DynamoDb, "GetItem", new JsonObject
        {
            ["TableName"] = "table-one", ["Key"] = new JsonObject { ["id"] = new JsonObject { ["S"] = "a" } },
        });
        item["Item"]!["id"]!["S"]!.GetValue<string>().Should().Be("a");

        var queue = await RawAwsJson.SqsAsync(cloud.Sqs, "CreateQueue", new JsonObject { ["QueueName"] = "q1" });
        var queueUrl = queue["QueueUrl"]!.GetValue<string>();
        await RawAwsJson.SqsAsync(cloud.Sqs, "SendMessage", new JsonObject { ["QueueUrl"] = queueUrl, ["MessageBody"] = "hello" });
        var received = await RawAwsJson.SqsAsync(cloud.Sqs, "ReceiveMessage", new JsonObject { ["QueueUrl"] = queueUrl, ["WaitTimeSeconds"] = 1 });
        received["Messages"]![0]!["Body"]!.GetValue<string>().Should().Be("hello");

        await RawAwsJson.SsmAsync(cloud.Ssm, "PutParameter", new JsonObject { ["Name"] = "/pipelines/local/fn/batch", ["Value"] = "7", ["Type"] = "String" });
        var parameters = await RawAwsJson.SsmAsync(cloud.Ssm, "GetParametersByPath", new JsonObject { ["Path"] = "/pipelines/local/fn/" });
        parameters["Parameters"]![0]!["Value"]!.GetValue<string>().Should().Be("7");

        using var s3 = CreateS3(cloud);
        await s3.PutBucketAsync("bucket-one", ct);
        var events = new List<S3ObjectEvent>();
        cloud.OnS3Event(e => { lock (events) events.Add(e); });
        var body = Encoding.UTF8.GetBytes("{\"x\":1}\n");
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = "bucket-one", Key = "dir/a file.jsonl", InputStream = new MemoryStream(body), UseChunkEncoding = false,
        }, ct);
        using var got = await s3.GetObjectAsync("bucket-one", "dir/a file.jsonl", ct);
        using var reader = new StreamReader(got.ResponseStream);
        (await reader.ReadToEndAsync(ct)).Should().Be("{\"x\":1}\n");

        await WaitUntilAsync(() => { lock (events) return events.Count > 0; }, ct);
        lock (events)
        {
            events.Should().ContainSingle();
            events[0].Should().BeEquivalentTo(new { EventName = "ObjectCreated:Put", Bucket = "bucket-one", Key = "dir/a file.jsonl", Size = (long?)body.Length });
        }
    }

    [Test]
    public async Task KeepsStateOnDiskAcrossARestartOnTheSamePort(CancellationToken ct)
    {
        await using var cloud = await LocalEmulators.StartAsync(new EmulatorOptions { Services = EmulatorService.Kinesis }, ct);
        var before = cloud.Kinesis;
        await RawAwsJson.KinesisAsync(cloud.Kinesis, "CreateStream", new JsonObject { ["StreamName"] = "kept", ["ShardCount"] = 1 });

        await cloud.StopAsync(EmulatorService.Kinesis);
        var whileDown = () => RawAwsJson.KinesisAsync(before, "ListStreams", []);
        await whileDown.Should().ThrowAsync<HttpRequestException>();
        await cloud.RestartAsync(EmulatorService.Kinesis, ct);

        cloud.Kinesis.Should().Be(before);
        var streams = await RawAwsJson.KinesisAsync(cloud.Kinesis, "ListStreams", []);
        streams["StreamNames"]!.AsArray().Select(n => n!.GetValue<string>()).Should().Contain("kept");
    }

    [Test]
    public void ExplainsHowToInstallWhenTheEmulatorsAreMissing()
    {
        var emptyRepo = Directory.CreateTempSubdirectory("repo-");
        try
        {
            var act = () => RepoLocator.FindLocalCloudPackage(emptyRepo.FullName);
            act.Should().Throw<InvalidOperationException>().WithMessage("*run npm ci in tools/local-cloud*");
        }
        finally
        {
            emptyRepo.Delete(recursive: true);
        }
    }

    internal static AmazonS3Client CreateS3(LocalEmulators cloud) => new(
        new BasicAWSCredentials("S3RVER", "S3RVER"),
        new AmazonS3Config
        {
            ServiceURL = cloud.S3.GetLeftPart(UriPartial.Authority),
            ForcePathStyle = true,
            AuthenticationRegion = "us-east-1",
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        });

    internal static async Task WaitUntilAsync(Func<bool> condition, CancellationToken ct, int timeoutMs = 10_000)
    {
        var deadline = Environment.TickCount64 + timeoutMs;
        while (!condition())
        {
            if (Environment.TickCount64 > deadline) Assert.Fail("condition not met within " + timeoutMs + " ms");
            await Task.Delay(50, ct);
        }
    }
}

using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.S3;
using Amazon.S3.Model;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Catalog;
using Pipelines.LocalCloud.Emulators;
using Pipelines.Shared.Aws;
using Pipelines.Shared.Runtime;
using Pipelines.Tests.CatalogConsolidator.Support;

namespace Pipelines.Tests.CatalogConsolidator.Integration;

/// <summary>
/// The real function (FunctionStartup, AWS SDK S3 and DynamoDB clients, SSM tunables) against s3rver, dynalite and the
/// local SSM endpoint, invoked through its stream handler with an SQS event built as the local cloud delivers it.
/// </summary>
[TestFixture]
[NonParallelizable]
[CancelAfter(180_000)]
public sealed class CatalogConsolidatorEmulatorTests
{
    private const string Table = "partner-priority";
    private const string Prefix = "/pipelines/local/catalog-consolidator/";
    private static readonly DateTimeOffset T0 = new(2024, 1, 31, 9, 0, 0, TimeSpan.Zero);
    private LocalEmulators _cloud = null!;
    private IAmazonS3 _s3 = null!;
    private IAmazonDynamoDB _dynamo = null!;
    private readonly Dictionary<string, string?> _savedEnvironment = [];

    [OneTimeSetUp]
    public async Task StartEmulators()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        _cloud = await LocalEmulators.StartAsync(new EmulatorOptions { Services = EmulatorService.S3 | EmulatorService.DynamoDb | EmulatorService.Ssm }, cts.Token);
        var env = new Dictionary<string, string>(_cloud.EnvironmentVariables())
        {
            ["OUTPUT_BUCKET"] = Fixtures.OutputBucket,
            ["PARTNER_PRIORITY_TABLE"] = Table,
            ["SSM_PARAMETER_PREFIX"] = Prefix,
        };
        foreach (var (name, value) in env)
        {
            _savedEnvironment[name] = Environment.GetEnvironmentVariable(name);
            Environment.SetEnvironmentVariable(name, value);
        }
        var credentials = new AwsCredentials(LocalCredentials.AccessKeyId, LocalCredentials.SecretAccessKey);
        _s3 = AwsSdkClients.CreateS3(_cloud.S3, LocalCredentials.Region, credentials);
        _dynamo = AwsSdkClients.CreateDynamoDb(_cloud.DynamoDb, LocalCredentials.Region, credentials);
        await _s3.PutBucketAsync(Fixtures.SourceBucket, cts.Token);
        await _s3.PutBucketAsync(Fixtures.OutputBucket, cts.Token);
        await _dynamo.CreateTableAsync(new CreateTableRequest
        {
            TableName = Table,
            AttributeDefinitions = [new AttributeDefinition("ContentType", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("ContentType", KeyType.HASH)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
        }, cts.Token);
        await _dynamo.PutItemAsync(Table, new Dictionary<string, AttributeValue>
        {
            ["ContentType"] = new() { S = "hotel" },
            ["partners"] = new() { L = [new() { S = "acme" }, new() { S = "globex" }] },
            ["blacklisted"] = new() { L = [new() { S = "spammy" }] },
        }, cts.Token);
        _cloud.Parameters!.Put(Prefix + "max_output_file_bytes", "700");
    }

    [OneTimeTearDown]
    public async Task StopEmulators()
    {
        _s3?.Dispose();
        _dynamo?.Dispose();
        foreach (var (name, value) in _savedEnvironment) Environment.SetEnvironmentVariable(name, value);
        if (_cloud is not null) await _cloud.DisposeAsync();
    }

    [SetUp]
    public async Task EmptyOutputBucket()
    {
        var listing = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Fixtures.OutputBucket });
        foreach (var o in listing.S3Objects ?? []) await _s3.DeleteObjectAsync(Fixtures.OutputBucket, o.Key);
    }

    private async Task PutSourceAsync(string key, params string[] lines) =>
        await new S3ObjectWriter(_s3).PutAsync(Fixtures.SourceBucket, key, Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"), "application/x-ndjson");

    private async Task<Dictionary<string, string>> ReadOutputBucketAsync()
    {
        var listing = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = Fixtures.OutputBucket });
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var o in listing.S3Objects ?? [])
        {
            using var response = await _s3.GetObjectAsync(Fixtures.OutputBucket, o.Key);
            using var reader = new StreamReader(response.ResponseStream, Encoding.UTF8);
            result[o.Key] = await reader.ReadToEndAsync();
        }
        return result;
    }

    private static async Task<JsonElement> InvokeAsync(IStreamHandler handler, string eventJson)
    {
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(eventJson));
        using var output = new MemoryStream();
        var context = new LambdaContext { AwsRequestId = Guid.NewGuid().ToString(), FunctionName = "catalog-consolidator", Deadline = DateTimeOffset.UtcNow.AddSeconds(90) };
        await handler.HandleAsync(input, output, context, CancellationToken.None);
        return JsonDocument.Parse(output.ToArray()).RootElement.Clone();
    }

    private static string Rec(string partner, string accommodation, string extra = "") =>
        $"{{\"partner_id\":\"{partner}\",\"accommodation_id\":\"{accommodation}\",\"content_type\":\"hotel\"{extra}}}";

    [Test]
    public async Task Consolidates_partner_files_from_s3_into_partitioned_output_and_a_redelivery_changes_nothing()
    {
        var keys = new[] { "2024/01/31/globex 1.jsonl", "2024/01/31/acme+partners-1.jsonl", "2024/01/31/hôtel-日本.jsonl", "2024/01/31/spammy-1.jsonl" };
        await PutSourceAsync(keys[0],
            Rec("globex", "H1", ",\"name\":\"Globex One\",\"rating\":8.10,\"phone\":\"+49 30\""),
            Rec("globex", "H2", ",\"name\":\"Globex Two\""),
            "{\"partner_id\":\"globex\",\"content_type\":\"hotel\"}");
        await PutSourceAsync(keys[1], Rec("acme", "H1", ",\"name\":\"Acme One\",\"rating\":null"));
        await PutSourceAsync(keys[2], Rec("hotel-jp", "H3", ",\"name\":\"旅館\""), Rec("hotel-jp", "H1", ",\"fax\":\"+81 3\""));
        await PutSourceAsync(keys[3], Rec("spammy", "H1", ",\"name\":\"SPAM\",\"wifi\":true"), Rec("spammy", "H9"));
        var sent = T0.ToUnixTimeMilliseconds();
        var evt = new SqsEventBuilder()
            .Message("9b2f6d2e-5c1a-4d8e-8f0b-1a2b3c4d5e01", sent, new S3Ref(S3KeyEncoding.Encode(keys[0]), T0), new S3Ref(S3KeyEncoding.Encode(keys[1]), T0.AddSeconds(1)))
            .Message("9b2f6d2e-5c1a-4d8e-8f0b-1a2b3c4d5e02", sent + 10, new S3Ref(S3KeyEncoding.Encode(keys[2]), T0.AddSeconds(2)))
            .Message("9b2f6d2e-5c1a-4d8e-8f0b-1a2b3c4d5e03", sent + 20, new S3Ref(S3KeyEncoding.Encode(keys[3]), T0.AddSeconds(3)))
            .Message("9b2f6d2e-5c1a-4d8e-8f0b-1a2b3c4d5e04", sent + 30, new S3Ref("2024/01/31/deleted-before-we-came.jsonl", T0))
            .TestEvent("9b2f6d2e-5c1a-4d8e-8f0b-1a2b3c4d5e05", sent)
            .ToJson();
        S3KeyEncoding.Encode(keys[0]).Should().Be("2024/01/31/globex+1.jsonl");
        S3KeyEncoding.Encode(keys[1]).Should().Be("2024/01/31/acme%2Bpartners-1.jsonl");

        var handler = await FunctionStartup.CreateHandlerAsync(CancellationToken.None);
        var response = await InvokeAsync(handler, evt);

        response.GetProperty("batchItemFailures").GetArrayLength().Should().Be(0);
        var bucket = await ReadOutputBucketAsync();
        var outputKeys = bucket.Keys.Where(k => !k.StartsWith("rejected/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();
        outputKeys.Should().HaveCountGreaterThan(1, "max_output_file_bytes=700 from SSM rolls the output")
            .And.OnlyContain(k => k.StartsWith("year=2024/month=01/day=31/output_object-1706691600000000-", StringComparison.Ordinal));
        outputKeys.Should().OnlyContain(k => Encoding.UTF8.GetByteCount(bucket[k]) <= 700);
        var records = outputKeys.SelectMany(k => bucket[k].Split('\n', StringSplitOptions.RemoveEmptyEntries))
            .Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .ToDictionary(r => r.GetProperty("accommodation_id").GetString()!);
        records.Keys.Should().BeEquivalentTo(["H1", "H2", "H3"], "spammy is blacklisted, so H9 never appears");
        var h1 = records["H1"];
        h1.GetProperty("name").GetString().Should().Be("Acme One");
        h1.GetProperty("rating").GetRawText().Should().Be("8.10");
        h1.GetProperty("phone").GetString().Should().Be("+49 30");
        h1.GetProperty("fax").GetString().Should().Be("+81 3");
        h1.TryGetProperty("wifi", out _).Should().BeFalse();
        h1.GetProperty("consolidated_from").EnumerateArray().Select(e => e.GetString()).Should().Equal("acme", "globex", "hotel-jp");
        h1.GetProperty("source_objects").EnumerateArray().Select(e => e.GetString()).Should().Contain("s3://partner-catalog-source/2024/01/31/hôtel-日本.jsonl");
        records["H3"].GetProperty("name").GetString().Should().Be("旅館");

        var rejected = bucket.Keys.Where(k => k.StartsWith("rejected/", StringComparison.Ordinal)).Should().ContainSingle().Subject;
        rejected.Should().Be("rejected/year=2024/month=01/day=31/lines-9b2f6d2e-5c1a-4d8e-8f0b-1a2b3c4d5e01-0.jsonl");
        var bad = JsonDocument.Parse(bucket[rejected]).RootElement;
        bad.GetProperty("source_key").GetString().Should().Be("2024/01/31/globex 1.jsonl");
        bad.GetProperty("line_number").GetInt32().Should().Be(3);
        bad.GetProperty("reason").GetString().Should().Be("missing required field 'accommodation_id'");

        // Lambda delivers the same batch again (e.g. the response was lost): same objects, same bytes, nothing added.
        var again = await InvokeAsync(handler, evt);

        again.GetProperty("batchItemFailures").GetArrayLength().Should().Be(0);
        (await ReadOutputBucketAsync()).Should().BeEquivalentTo(bucket);
    }

    [Test]
    public async Task A_missing_bucket_is_acknowledged_like_a_missing_object()
    {
        await PutSourceAsync("2024/02/02/fine.jsonl", Rec("globex", "F1"));
        var sent = T0.ToUnixTimeMilliseconds();
        var evt = new SqsEventBuilder()
            .Message("c1d2e3f4-0000-4000-8000-000000000001", sent, new S3Ref("2024/02/02/fine.jsonl", T0))
            .Message("c1d2e3f4-0000-4000-8000-000000000002", sent, new S3Ref("2024/02/02/x.jsonl", T0, Bucket: "no-access-bucket"))
            .ToJson();
        var handler = await FunctionStartup.CreateHandlerAsync(CancellationToken.None);

        var response = await InvokeAsync(handler, evt);

        // s3rver answers NoSuchBucket for the unknown bucket: it can never appear, so it is acknowledged, not retried.
        response.GetProperty("batchItemFailures").GetArrayLength().Should().Be(0);
        var bucket = await ReadOutputBucketAsync();
        bucket.Keys.Should().Contain(k => k.StartsWith("year=2024/month=02/day=02/", StringComparison.Ordinal));
    }
}

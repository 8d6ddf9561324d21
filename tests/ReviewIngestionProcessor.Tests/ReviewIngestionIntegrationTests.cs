using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Reviews;
using Pipelines.Reviews.Domain;
using Pipelines.Reviews.Rejects;
using Pipelines.Reviews.Storage;
using Pipelines.Shared.Configuration;
using Pipelines.Shared.Runtime;
using Pipelines.Shared.Sinks;

namespace Pipelines.Tests.ReviewIngestionProcessor;

/// <summary>The function against the emulators: the real AWS SDK clients, dynalite for the table, s3rver for rejects.</summary>
[TestFixture]
[NonParallelizable]
[CancelAfter(120_000)]
public sealed class ReviewIngestionIntegrationTests
{
    private const string Bucket = "pipeline-rejects";
    private EmulatorFixture _emulators = null!;
    private string _table = "";

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
    public async Task CreateTable()
    {
        _table = "amazon-reviews-raw-" + Guid.NewGuid().ToString("N")[..8];
        await _emulators.CreateTableAsync(_table, "review_id", rangeKey: null, CancellationToken.None);
    }

    private ReviewIngestionHandler Handler(string prefix) => new(
        new ReviewBatchProcessor(
            EmulatorStores.Reviews(_emulators, _table),
            new S3RejectSink(new RejectedRecordsWriter(_emulators.S3, Bucket, prefix))),
        Tunables.FromValues(new Dictionary<string, string>()));

    [Test]
    public async Task A_batch_with_every_kind_of_bad_record_stores_the_valid_reviews_and_rejects_the_rest(CancellationToken ct)
    {
        var prefix = $"reviews-{_table}/";
        var data = new List<string>();
        foreach (var bad in BadReviewCorpus.All)
        {
            data.Add(Convert.ToBase64String(SampleReviews.Bytes(SampleReviews.Full($"RGOOD{data.Count:D3}"))));
            data.Add(bad.Data);
        }
        var batch = SampleReviews.Events.FromData(data);

        var response = await Handler(prefix).InvokeAsync(batch, new LambdaContext { AwsRequestId = "it-1" }, ct);

        response.BatchItemFailures.Should().BeEmpty();
        var items = await _emulators.ScanAsync(_table, ct);
        items.Select(i => i["review_id"].S).Should().BeEquivalentTo(Enumerable.Range(0, BadReviewCorpus.All.Count).Select(i => $"RGOOD{2 * i:D3}"));
        var item = items.Single(i => i["review_id"].S == "RGOOD000");
        item["star_rating"].N.Should().Be("4");
        item["verified_purchase"].BOOL.Should().BeTrue();
        item["ingestion_timestamp"].S.Should().Be("2023-11-14T22:13:20.000Z");
        item["source_sequence_number"].S.Should().Be(KinesisEvents.SequenceNumber(0));

        var objects = await _emulators.ReadObjectsAsync(Bucket, prefix, ct);
        var lines = objects.Values.Single().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        lines.Should().HaveCount(BadReviewCorpus.All.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            lines[i]["reason"]!.GetValue<string>().Should().Contain(BadReviewCorpus.All[i].Reason);
            lines[i]["source"]!.GetValue<string>().Should().Be(KinesisEvents.SequenceNumber(2 * i + 1));
            lines[i]["shard_id"]!.GetValue<string>().Should().Be("shardId-000000000000");
        }
        objects.Keys.Single().Should().StartWith($"{prefix}shardId-000000000000/{KinesisEvents.SequenceNumber(1)}-");
    }

    [Test]
    public async Task Redelivering_the_same_batch_leaves_byte_identical_items_and_the_same_reject_object(CancellationToken ct)
    {
        var prefix = $"reviews-{_table}/";
        var batch = KinesisEvents.Load("reviews-batch.json");

        await Handler(prefix).InvokeAsync(batch, new LambdaContext(), ct);
        var first = Canonical(await _emulators.ScanAsync(_table, ct));
        var firstRejects = await _emulators.ReadObjectsAsync(Bucket, prefix, ct);
        await Handler(prefix).InvokeAsync(KinesisEvents.Load("reviews-batch.json"), new LambdaContext(), ct);

        Canonical(await _emulators.ScanAsync(_table, ct)).Should().Be(first);
        (await _emulators.ReadObjectsAsync(Bucket, prefix, ct)).Should().Equal(firstRejects);
        first.Should().Contain("R3QWX9KJ2M7ZQ1").And.Contain("\"vine\":{\"S\":\"N\"}");
    }

    [Test]
    public async Task Nested_unknown_fields_empty_collections_and_extreme_numbers_round_trip_through_dynamodb(CancellationToken ct)
    {
        var review = SampleReviews.Minimal("RNESTED");
        review["media"] = new JsonObject { ["images"] = new JsonArray(), ["meta"] = new JsonObject(), ["ratio"] = JsonNode.Parse("-1.5e-130") };
        review["big"] = JsonNode.Parse("9.9999999999999999999999999999999999999e125");
        review["flags"] = new JsonArray(true, null, "x", 12);
        review["note"] = "";

        var response = await Handler("nested/").InvokeAsync(SampleReviews.Events.FromJson([review]), new LambdaContext(), ct);

        response.BatchItemFailures.Should().BeEmpty();
        var item = (await _emulators.ScanAsync(_table, ct)).Single();
        item["media"].M["images"].L.Should().BeEmpty();
        item["media"].M["meta"].M.Should().BeEmpty();
        item["flags"].L.Should().HaveCount(4);
        item["flags"].L[1].NULL.Should().BeTrue();
        item["note"].S.Should().BeEmpty();
        item["big"].N.Should().NotBeNullOrEmpty();
    }

    private static IEnumerable<TestCaseData> LimitShapes()
    {
        yield return new TestCaseData("plain text", null);
        yield return new TestCaseData("numbers, lists and maps", JsonNode.Parse(
            "{\"n\":[0,7,12,123,1234,-5,0.000123,1.5e10,98765432109876543210,-1.25],\"m\":{\"a\":true,\"bb\":null,\"ccc\":[\"e\",{}]}}"));
    }

    // ASCII only: dynalite counts string length in UTF-16 units where DynamoDB counts UTF-8 bytes.
    [TestCaseSource(nameof(LimitShapes))]
    public async Task The_400_KB_limit_matches_what_dynamodb_accepts(string shape, JsonNode? extra, CancellationToken ct)
    {
        var review = SampleReviews.Minimal("RLIMIT");
        if (extra is not null) review["extra"] = extra;
        review["review_text"] = "";
        var baseline = SampleReviews.Parse(review).Item!.SizeBytes;
        review["review_text"] = new string('a', DynamoDbItemRules.MaxItemBytes - baseline);
        var atLimit = (JsonObject)review.DeepClone();
        var overLimit = (JsonObject)review.DeepClone();
        overLimit["review_id"] = "RLIMIX";
        overLimit["review_text"] = new string('a', DynamoDbItemRules.MaxItemBytes - baseline + 1);

        var response = await Handler("limit/").InvokeAsync(SampleReviews.Events.FromJson([atLimit, overLimit]), new LambdaContext(), ct);

        response.BatchItemFailures.Should().BeEmpty();
        (await _emulators.ScanAsync(_table, ct)).Select(i => i["review_id"].S).Should().Equal(["RLIMIT"], shape);
        SampleReviews.Parse(overLimit).RejectReason.Should().Contain("409601 bytes");
        // And DynamoDB itself refuses the item one byte over, so the function's arithmetic is not stricter than needed.
        var item = DynamoJson.ToItem(SampleReviews.Parse(atLimit).Item!.Json);
        item["review_text"] = new AttributeValue { S = new string('a', DynamoDbItemRules.MaxItemBytes - baseline + 1) };
        var put = () => _emulators.DynamoDb.PutItemAsync(new PutItemRequest { TableName = _table, Item = item }, ct);
        (await put.Should().ThrowAsync<Amazon.DynamoDBv2.AmazonDynamoDBException>()).Which.ErrorCode.Should().Be("ValidationException");
    }

    [Test]
    public async Task Startup_from_the_environment_builds_a_working_handler(CancellationToken ct)
    {
        var names = new[] { "REVIEWS_TABLE", "REJECTED_BUCKET", "REJECTED_PREFIX", "SSM_PARAMETER_PREFIX" };
        var saved = names.Concat(_emulators.EnvironmentVariables().Keys).Distinct().ToDictionary(n => n, Environment.GetEnvironmentVariable);
        try
        {
            _emulators.ApplyToCurrentProcess();
            Environment.SetEnvironmentVariable("REVIEWS_TABLE", _table);
            Environment.SetEnvironmentVariable("REJECTED_BUCKET", Bucket);
            Environment.SetEnvironmentVariable("REJECTED_PREFIX", "startup/");
            Environment.SetEnvironmentVariable("SSM_PARAMETER_PREFIX", null);
            var handler = await FunctionStartup.CreateHandlerAsync(ct);
            var payload = await File.ReadAllBytesAsync(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "reviews-batch.json"), ct);
            using var input = new MemoryStream(payload);
            using var output = new MemoryStream();

            await handler.HandleAsync(input, output, new LambdaContext { AwsRequestId = "startup" }, ct);

            Encoding.UTF8.GetString(output.ToArray()).Should().Be("{\"batchItemFailures\":[]}");
            (await _emulators.ScanAsync(_table, ct)).Should().HaveCount(3);
            (await _emulators.ReadObjectsAsync(Bucket, "startup/", ct)).Should().ContainSingle();
        }
        finally
        {
            foreach (var (name, value) in saved) Environment.SetEnvironmentVariable(name, value);
        }
    }

    /// <summary>Items as sorted JSON text, to compare end states byte for byte.</summary>
    private static string Canonical(List<Dictionary<string, AttributeValue>> items) =>
        string.Join("\n", items.Select(Serialize).Order(StringComparer.Ordinal));

    private static string Serialize(Dictionary<string, AttributeValue> item)
    {
        var node = new JsonObject();
        foreach (var (name, value) in item.OrderBy(a => a.Key, StringComparer.Ordinal)) node[name] = ToNode(value);
        return node.ToJsonString();
    }

    private static JsonNode ToNode(AttributeValue v) =>
        v.S is not null ? new JsonObject { ["S"] = v.S }
        : v.N is not null ? new JsonObject { ["N"] = v.N }
        : v.BOOL is { } b ? new JsonObject { ["BOOL"] = b }
        : v.NULL == true ? new JsonObject { ["NULL"] = true }
        : v.L is not null ? new JsonObject { ["L"] = new JsonArray(v.L.Select(ToNode).ToArray()) }
        : new JsonObject { ["M"] = new JsonObject((v.M ?? []).OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => KeyValuePair.Create(e.Key, (JsonNode?)ToNode(e.Value)))) };
}

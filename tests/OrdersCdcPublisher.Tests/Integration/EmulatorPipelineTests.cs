using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.S3;
using Amazon.S3.Model;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.LocalCloud.DynamoDbStreams;
using Pipelines.LocalCloud.Emulators;
using Pipelines.Orders.Cdc;
using Pipelines.Orders.Cdc.Publishing;
using Pipelines.Shared.Aws;
using Pipelines.Shared.Configuration;
using Pipelines.Shared.Events;
using AttributeValue = Amazon.DynamoDBv2.Model.AttributeValue;
using Pipelines.Shared.Runtime;
using Pipelines.Shared.Sinks;

namespace Pipelines.Tests.OrdersCdcPublisher.Integration;

/// <summary>
/// Real writes to OrdersRawTable (dynalite behind the local cloud's change-capture proxy, which produces the stream
/// records Lambda would deliver), the publisher against kinesalite, read back with GetRecords; rejects into s3rver.
/// </summary>
[NonParallelizable]
public class EmulatorPipelineTests
{
    private const string Table = "OrdersRawTable";
    private const string Stream = "kinesis-for-sales-data";
    private const string RejectsBucket = "pipeline-rejects";
    private static readonly AwsCredentials Credentials = new(LocalCredentials.AccessKeyId, LocalCredentials.SecretAccessKey);

    private LocalEmulators _cloud = null!;
    private DynamoDbChangeCaptureProxy _proxy = null!;
    private IAmazonDynamoDB _dynamo = null!;
    private IAmazonS3 _s3 = null!;
    private KinesisClient _kinesis = null!;

    [OneTimeSetUp]
    public async Task StartEmulators()
    {
        _cloud = await LocalEmulators.StartAsync(
            new EmulatorOptions { Services = EmulatorService.Kinesis | EmulatorService.DynamoDb | EmulatorService.S3 }, CancellationToken.None);
        _proxy = await DynamoDbChangeCaptureProxy.StartAsync(() => _cloud.DynamoDb, 0, CancellationToken.None);
        _dynamo = AwsSdkClients.CreateDynamoDb(_proxy.Endpoint, LocalCredentials.Region, Credentials);
        _s3 = AwsSdkClients.CreateS3(_cloud.S3, LocalCredentials.Region, Credentials);
        _kinesis = new KinesisClient(AwsClientOptions.Create(AwsService.Kinesis, _cloud.Kinesis, LocalCredentials.Region, Credentials));

        await _dynamo.CreateTableAsync(new CreateTableRequest
        {
            TableName = Table,
            KeySchema = [new KeySchemaElement("orderid", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("orderid", ScalarAttributeType.S)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
            StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.NEW_AND_OLD_IMAGES },
        });
        await _kinesis.CreateStreamAsync(Stream, 2);
        await _kinesis.WaitForActiveAsync(Stream, TimeSpan.FromSeconds(30));
        await _s3.PutBucketAsync(RejectsBucket);
    }

    [OneTimeTearDown]
    public async Task StopEmulators()
    {
        _dynamo?.Dispose();
        _s3?.Dispose();
        if (_proxy is not null) await _proxy.DisposeAsync();
        if (_cloud is not null) await _cloud.DisposeAsync();
    }

    private static Dictionary<string, AttributeValue> Order(string id, string product, string quantity, string price) => new()
    {
        ["orderid"] = new() { S = id },
        ["product_name"] = new() { S = product },
        ["quantity"] = new() { N = quantity },
        ["price"] = new() { N = price },
        ["creation_datetime"] = new() { S = "2024-03-07T23:29:58.000Z" },
    };

    [Test]
    public async Task Table_changes_reach_kinesis_as_cdc_records_in_per_order_order_and_rejects_reach_s3()
    {
        var a = "0f8fad5b-d9cb-469f-a165-70867728950e";
        var b = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
        var itemA = Order(a, "Kindle Paperwhite (16 GB)", "2", "19.99");
        itemA["loyalty_points"] = new() { N = "123456789012345678901234567890" };
        itemA["customer"] = new() { M = new Dictionary<string, AttributeValue> { ["name"] = new() { S = "Zoë O'Connor" }, ["vip"] = new() { BOOL = true }, ["note"] = new() { NULL = true } } };
        itemA["tags"] = new() { SS = ["gift", "prime"] };
        itemA["weights"] = new() { NS = ["0.25", "1.5"] };
        itemA["lines"] = new() { L = [new() { S = "B0" }, new() { N = "3" }] };
        itemA["thumbnail"] = new() { B = new MemoryStream([0, 1, 2, 250]) };
        await _dynamo.PutItemAsync(Table, itemA);
        await _dynamo.PutItemAsync(Table, Order(b, "Echo Dot (5th Gen)", "1", "49.99"));
        await _dynamo.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = Table,
            Key = new() { ["orderid"] = new() { S = a } },
            UpdateExpression = "SET quantity = :q",
            ExpressionAttributeValues = new() { [":q"] = new() { N = "3" } },
        });
        await _dynamo.DeleteItemAsync(Table, new() { ["orderid"] = new() { S = b } });
        await _dynamo.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = Table,
            Key = new() { ["orderid"] = new() { S = a } },
            UpdateExpression = "SET price = :p",
            ExpressionAttributeValues = new() { [":p"] = new() { N = "17.5" } },
        });

        // The stream records exactly as the local cloud hands them to the function, plus one that has no orderid.
        var streamRecords = _proxy.Stream(Table)!.All().Select(r => (JsonNode)r.EventRecord.DeepClone()).ToList();
        streamRecords.Should().HaveCount(5);
        streamRecords.Add(JsonNode.Parse(Fixtures.Text("dynamodb-stream-aws-sample.json"))!["Records"]![0]!.DeepClone());
        var eventJson = new JsonObject { ["Records"] = new JsonArray([.. streamRecords]) }.ToJsonString();

        var response = await InvokeAsync(eventJson);

        response.BatchItemFailures.Should().BeEmpty();
        var onStream = await ReadStreamAsync();
        onStream.Should().HaveCount(5);
        var byOrder = onStream.GroupBy(r => r.PartitionKey).ToDictionary(g => g.Key, g => g.OrderBy(r => BigInteger.Parse(r.KinesisSequence)).ToList());
        byOrder[a].Select(r => r.Shard).Distinct().Should().ContainSingle("one order lives on one shard");
        byOrder[a].Select(r => r.Field("cdc_event_type")).Should().Equal("INSERT", "MODIFY", "MODIFY");
        byOrder[b].Select(r => r.Field("cdc_event_type")).Should().Equal("INSERT", "REMOVE");
        foreach (var records in byOrder.Values)
            records.Select(r => BigInteger.Parse(r.Field("cdc_sequence_number"))).Should().BeInAscendingOrder("stream order per order");

        var insertA = byOrder[a][0].Root;
        insertA.GetProperty("price").GetRawText().Should().Be("19.99");
        insertA.GetProperty("loyalty_points").GetRawText().Should().Be("123456789012345678901234567890");
        insertA.GetProperty("customer").GetRawText().Should().Be("""{"name":"Zoë O'Connor","vip":true,"note":null}""");
        insertA.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).Should().BeEquivalentTo(["gift", "prime"]);
        insertA.GetProperty("weights").EnumerateArray().Select(t => t.GetRawText()).Should().BeEquivalentTo(["0.25", "1.5"]);
        insertA.GetProperty("lines").GetRawText().Should().Be("""["B0",3]""");
        Convert.FromBase64String(insertA.GetProperty("thumbnail").GetString()!).Should().Equal(0, 1, 2, 250);
        byOrder[a][2].Root.GetProperty("price").GetRawText().Should().Be("17.5");
        byOrder[a][2].Root.GetProperty("quantity").GetRawText().Should().Be("3");
        var removeB = byOrder[b][1].Root;
        removeB.GetProperty("product_name").GetString().Should().Be("Echo Dot (5th Gen)", "a REMOVE carries the deleted item");
        removeB.GetProperty("cdc_ttl_expired").GetBoolean().Should().BeFalse();
        DateTimeOffset.Parse(removeB.GetProperty("cdc_timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            .Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5));

        var rejects = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = RejectsBucket, Prefix = "orders/" });
        rejects.S3Objects.Should().ContainSingle();
        using var body = await _s3.GetObjectAsync(RejectsBucket, rejects.S3Objects[0].Key);
        var line = JsonDocument.Parse(await new StreamReader(body.ResponseStream).ReadToEndAsync()).RootElement;
        line.GetProperty("reason").GetString().Should().Be("no orderid (type S) in Keys or the item image");
        line.GetProperty("source").GetString().Should().Be("111");
        JsonDocument.Parse(line.GetProperty("data_text").GetString()!).RootElement.GetProperty("eventID").GetString().Should().Be("1");

        // At-least-once: Lambda may deliver the same batch again. Consumers see duplicates they can drop by
        // cdc_sequence_number; the rejects object is overwritten, not duplicated.
        (await InvokeAsync(eventJson)).BatchItemFailures.Should().BeEmpty();
        var twice = await ReadStreamAsync();
        twice.Should().HaveCount(10);
        twice.Select(r => r.Field("cdc_sequence_number")).Distinct().Should().HaveCount(5);
        (await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = RejectsBucket, Prefix = "orders/" })).S3Objects.Should().ContainSingle();
    }

    private async Task<BatchResponse> InvokeAsync(string eventJson)
    {
        var handler = new CdcPublisherHandler(
            new KinesisRecordSink(_kinesis, Stream),
            new S3RejectedRecordSink(new RejectedRecordsWriter(_s3, RejectsBucket, "orders/")),
            Tunables.FromValues(new Dictionary<string, string>()));
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(eventJson));
        using var output = new MemoryStream();
        await handler.HandleAsync(input, output, new LambdaContext { AwsRequestId = "it", Deadline = DateTimeOffset.UtcNow.AddMinutes(1) }, CancellationToken.None);
        return JsonSerializer.Deserialize(output.ToArray(), EventJsonContext.Default.BatchResponse)!;
    }

    private sealed record StreamEntry(string Shard, string KinesisSequence, string PartitionKey, JsonElement Root)
    {
        public string Field(string name) => Root.GetProperty(name).GetString()!;
    }

    private async Task<List<StreamEntry>> ReadStreamAsync()
    {
        var entries = new List<StreamEntry>();
        foreach (var shard in await _kinesis.ListShardsAsync(Stream))
        {
            var iterator = await _kinesis.GetShardIteratorAsync(Stream, shard.ShardId, ShardIteratorType.TrimHorizon);
            while (true)
            {
                var page = await _kinesis.GetRecordsAsync(iterator);
                entries.AddRange(page.Records.Select(r => new StreamEntry(shard.ShardId, r.SequenceNumber, r.PartitionKey, JsonDocument.Parse(r.Data).RootElement)));
                if (page.Records.Count == 0 || page.NextShardIterator is null) break;
                iterator = page.NextShardIterator;
            }
        }
        return entries;
    }
}

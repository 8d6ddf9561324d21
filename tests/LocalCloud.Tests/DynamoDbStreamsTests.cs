using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using FluentAssertions;
using NUnit.Framework;

namespace Pipelines.Tests.LocalCloud;

[TestFixture]
[CancelAfter(60_000)]
public sealed class DynamoDbStreamsTests : DynamoDbProxyFixture
{
    private async Task<string> CreateOrdersTableAsync(CancellationToken ct)
    {
        var table = EmulatorFixture.Unique("orders");
        await Db.CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition("orderid", "S")],
            KeySchema = [new KeySchemaElement("orderid", KeyType.HASH)],
            StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.NEW_AND_OLD_IMAGES },
        }, ct);
        await EmulatorFixture.WaitForTableAsync(Db, table);
        return table;
    }

    private static Dictionary<string, AttributeValue> Order(string id, string status, int quantity) => new()
    {
        ["orderid"] = new AttributeValue { S = id },
        ["status"] = new AttributeValue { S = status },
        ["quantity"] = new AttributeValue { N = quantity.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    };

    [Test]
    public async Task WritesBecomeInsertModifyRemoveRecordsWithImagesInOrder(CancellationToken ct)
    {
        var table = await CreateOrdersTableAsync(ct);
        var key = new Dictionary<string, AttributeValue> { ["orderid"] = new() { S = "o-1" } };

        await Db.PutItemAsync(table, Order("o-1", "NEW", 2), ct);
        await Db.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table, Key = key, UpdateExpression = "SET #s = :s",
            ExpressionAttributeNames = new() { ["#s"] = "status" },
            ExpressionAttributeValues = new() { [":s"] = new AttributeValue { S = "SHIPPED" } },
        }, ct);
        await Db.PutItemAsync(table, Order("o-1", "SHIPPED", 2), ct); // no change: no record, as in AWS
        var conditional = () => Db.PutItemAsync(new PutItemRequest
        {
            TableName = table, Item = Order("o-1", "LOST", 0), ConditionExpression = "attribute_not_exists(orderid)",
        }, ct);
        await conditional.Should().ThrowAsync<ConditionalCheckFailedException>();
        await Db.BatchWriteItemAsync(new BatchWriteItemRequest
        {
            RequestItems = new() { [table] = [new WriteRequest(new PutRequest(Order("o-2", "NEW", 1)))] },
        }, ct);
        await Db.DeleteItemAsync(table, key, ct);

        var records = Proxy.Stream(table)!.All();
        records.Select(r => r.EventRecord["eventName"]!.GetValue<string>()).Should().Equal("INSERT", "MODIFY", "INSERT", "REMOVE");
        records.Select(r => r.SequenceNumber).Should().BeInAscendingOrder(StringComparer.Ordinal).And.OnlyHaveUniqueItems();

        var insert = records[0].EventRecord;
        insert["eventSource"]!.GetValue<string>().Should().Be("aws:dynamodb");
        insert["eventVersion"]!.GetValue<string>().Should().Be("1.1");
        insert["awsRegion"]!.GetValue<string>().Should().Be("us-east-1");
        insert["eventSourceARN"]!.GetValue<string>().Should().StartWith($"arn:aws:dynamodb:us-east-1:123456789012:table/{table}/stream/");
        var d = insert["dynamodb"]!;
        d["Keys"]!.ToJsonString().Should().Be("""{"orderid":{"S":"o-1"}}""");
        d["NewImage"]!["status"]!["S"]!.GetValue<string>().Should().Be("NEW");
        d["OldImage"].Should().BeNull();
        d["StreamViewType"]!.GetValue<string>().Should().Be("NEW_AND_OLD_IMAGES");
        d["SizeBytes"]!.GetValue<int>().Should().BePositive();
        d["ApproximateCreationDateTime"]!.GetValue<long>().Should().BeCloseTo(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 60);

        var modify = records[1].EventRecord["dynamodb"]!;
        modify["OldImage"]!["status"]!["S"]!.GetValue<string>().Should().Be("NEW");
        modify["NewImage"]!["status"]!["S"]!.GetValue<string>().Should().Be("SHIPPED");
        modify["NewImage"]!["quantity"]!["N"]!.GetValue<string>().Should().Be("2");

        var remove = records[3].EventRecord["dynamodb"]!;
        remove["OldImage"]!["status"]!["S"]!.GetValue<string>().Should().Be("SHIPPED");
        remove["NewImage"].Should().BeNull();
    }

    [Test]
    public async Task DescribeTableAndTheStreamsApiShowTheStream(CancellationToken ct)
    {
        var table = await CreateOrdersTableAsync(ct);
        await Db.PutItemAsync(table, Order("o-9", "NEW", 1), ct);

        var described = await Db.DescribeTableAsync(table, ct);
        described.Table.StreamSpecification.StreamViewType.Value.Should().Be("NEW_AND_OLD_IMAGES");
        var arn = described.Table.LatestStreamArn;
        arn.Should().Be(Proxy.Stream(table)!.StreamArn);

        var iterator = await RawAwsJson.CallAsync(Proxy.Endpoint, "DynamoDBStreams_20120810.GetShardIterator", "application/x-amz-json-1.0",
            new JsonObject { ["StreamArn"] = arn, ["ShardId"] = Proxy.Stream(table)!.ShardId, ["ShardIteratorType"] = "TRIM_HORIZON" }, "dynamodb");
        var page = await RawAwsJson.CallAsync(Proxy.Endpoint, "DynamoDBStreams_20120810.GetRecords", "application/x-amz-json-1.0",
            new JsonObject { ["ShardIterator"] = iterator["ShardIterator"]!.GetValue<string>() }, "dynamodb");
        page["Records"]!.AsArray().Should().ContainSingle().Which!["eventName"]!.GetValue<string>().Should().Be("INSERT");
    }

    [Test]
    public async Task TtlDeletesOnlyExpiredItemsAndMarksTheRemoveAsTheService(CancellationToken ct)
    {
        var table = await CreateOrdersTableAsync(ct);
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        foreach (var (id, expires) in new[] { ("o-old", now - 60), ("o-new", now + 3600) })
        {
            var item = Order(id, "NEW", 1);
            item["expires_at"] = new AttributeValue { N = expires.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            await Db.PutItemAsync(table, item, ct);
        }

        var deleted = await Proxy.SweepExpiredAsync(table, "expires_at", ["orderid"], ct);

        deleted.Should().Be(1);
        (await Db.GetItemAsync(table, new() { ["orderid"] = new() { S = "o-new" } }, ct)).Item.Should().NotBeEmpty();
        (await Db.GetItemAsync(table, new() { ["orderid"] = new() { S = "o-old" } }, ct)).IsItemSet.Should().BeFalse();
        var remove = Proxy.Stream(table)!.All()[^1].EventRecord;
        remove["eventName"]!.GetValue<string>().Should().Be("REMOVE");
        remove["userIdentity"]!.ToJsonString().Should().Be("""{"type":"Service","principalId":"dynamodb.amazonaws.com"}""");
        remove["dynamodb"]!["OldImage"]!["orderid"]!["S"]!.GetValue<string>().Should().Be("o-old");
    }

    [Test]
    public async Task AFaultWindowAnswers500AndChangesNothing(CancellationToken ct)
    {
        var table = await CreateOrdersTableAsync(ct);
        Proxy.FailRequestsFor(TimeSpan.FromSeconds(2));
        var raw = () => RawAwsJson.DynamoDbAsync(Proxy.Endpoint, "PutItem", new JsonObject
        {
            ["TableName"] = table, ["Item"] = new JsonObject { ["orderid"] = new JsonObject { ["S"] = "o-x" } },
        });
        (await raw.Should().ThrowAsync<InvalidOperationException>()).WithMessage("*500*InternalServerError*");
        Proxy.Stream(table)!.Count.Should().Be(0);

        // The SDK client retries 5xx; once the window passes the write lands exactly once.
        await Task.Delay(2100, ct);
        await Db.PutItemAsync(table, Order("o-x", "NEW", 1), ct);
        Proxy.Stream(table)!.Count.Should().Be(1);
    }
}

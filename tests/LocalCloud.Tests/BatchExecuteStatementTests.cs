using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.LocalCloud.DynamoDbPartiQL;

namespace Pipelines.Tests.LocalCloud;

/// <summary>
/// The proxy's BatchExecuteStatement (PartiQL INSERTs over dynalite), driven by the AWS SDK's own client so its
/// request and answer shapes are the ones AWS's serializers produce and read.
/// </summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class BatchExecuteStatementTests : DynamoDbProxyFixture
{
    private async Task<string> CreateTableAsync(bool stream, CancellationToken ct)
    {
        var table = EmulatorFixture.Unique("claims");
        await Db.CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition("event_uuid", "S")],
            KeySchema = [new KeySchemaElement("event_uuid", KeyType.HASH)],
            StreamSpecification = stream ? new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.NEW_IMAGE } : null,
        }, ct);
        await EmulatorFixture.WaitForTableAsync(Db, table);
        return table;
    }

    private static BatchStatementRequest Insert(string table, string uuid, string claimant) => new()
    {
        Statement = $"INSERT INTO \"{table}\" VALUE {{'event_uuid': ?, 'claimed_by': ?, 'expires_at': ?}}",
        Parameters = [new AttributeValue { S = uuid }, new AttributeValue { S = claimant }, new AttributeValue { N = "1900000000" }],
        ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
    };

    [Test]
    public async Task EachInsertSucceedsOnceAndALaterOneForTheSameKeyIsADuplicateItemInRequestOrder(CancellationToken ct)
    {
        var table = await CreateTableAsync(stream: false, ct);
        await Db.BatchExecuteStatementAsync(new BatchExecuteStatementRequest { Statements = [Insert(table, "u-1", "shard-0:1")] }, ct);

        var response = await Db.BatchExecuteStatementAsync(new BatchExecuteStatementRequest
        {
            Statements = [Insert(table, "u-2", "shard-0:2"), Insert(table, "u-1", "shard-1:9"), Insert(table, "u-3", "shard-0:3")],
        }, ct);

        response.Responses.Select(r => r.Error?.Code?.Value).Should().Equal(null, "DuplicateItem", null);
        response.Responses[1].Error.Message.Should().Be("Duplicate primary key exists in table");
        response.Responses.Should().OnlyContain(r => r.TableName == table);
        var holder = await Db.GetItemAsync(new GetItemRequest { TableName = table, Key = new() { ["event_uuid"] = new() { S = "u-1" } }, ConsistentRead = true }, ct);
        holder.Item["claimed_by"].S.Should().Be("shard-0:1", "a duplicate INSERT must not overwrite the holder");
        holder.Item["expires_at"].N.Should().Be("1900000000");
        (await Db.ScanAsync(new ScanRequest { TableName = table }, ct)).Count.Should().Be(3);
    }

    [Test]
    public async Task ABadStatementFailsAloneWithAValidationErrorAndAMissingTableWithResourceNotFound(CancellationToken ct)
    {
        var table = await CreateTableAsync(stream: false, ct);
        var response = await Db.BatchExecuteStatementAsync(new BatchExecuteStatementRequest
        {
            Statements =
            [
                new BatchStatementRequest { Statement = $"SELECT * FROM \"{table}\" WHERE event_uuid = 'u-1'" },
                new BatchStatementRequest { Statement = $"INSERT INTO \"{table}\" VALUE {{'claimed_by': 'x'}}" },
                Insert("no-such-table", "u-1", "s:1"),
                new BatchStatementRequest { Statement = $"insert into {table} value {{'event_uuid' : 'u-''7', 'n': 12.5}}" },
            ],
        }, ct);

        response.Responses.Select(r => r.Error?.Code?.Value).Should().Equal("ValidationError", "ValidationError", "ResourceNotFound", null);
        response.Responses[0].Error.Message.Should().Contain("only INSERT");
        response.Responses[1].Error.Message.Should().Contain("Missing the key event_uuid");
        var literal = await Db.GetItemAsync(new GetItemRequest { TableName = table, Key = new() { ["event_uuid"] = new() { S = "u-'7" } } }, ct);
        literal.Item["n"].N.Should().Be("12.5");
    }

    [Test]
    public async Task MoreThan25StatementsIsAValidationExceptionForTheWholeCall(CancellationToken ct)
    {
        var table = await CreateTableAsync(stream: false, ct);
        var call = () => Db.BatchExecuteStatementAsync(new BatchExecuteStatementRequest
        {
            Statements = Enumerable.Range(0, 26).Select(i => Insert(table, $"u-{i}", "s:1")).ToList(),
        }, ct);
        (await call.Should().ThrowAsync<AmazonDynamoDBException>()).Which.ErrorCode.Should().Be("ValidationException");
        (await Db.ScanAsync(new ScanRequest { TableName = table }, ct)).Count.Should().Be(0);
    }

    [Test]
    public async Task AnInsertIntoATableWithAStreamIsRecordedOnceAndADuplicateNotAtAll(CancellationToken ct)
    {
        var table = await CreateTableAsync(stream: true, ct);
        await Db.BatchExecuteStatementAsync(new BatchExecuteStatementRequest { Statements = [Insert(table, "u-1", "s:1")] }, ct);
        await Db.BatchExecuteStatementAsync(new BatchExecuteStatementRequest { Statements = [Insert(table, "u-1", "s:2")] }, ct);

        var records = Proxy.Stream(table)!.All();
        records.Should().ContainSingle().Which.EventRecord["eventName"]!.GetValue<string>().Should().Be("INSERT");
        records[0].EventRecord["dynamodb"]!["NewImage"]!["claimed_by"]!["S"]!.GetValue<string>().Should().Be("s:1");
    }

    [Test]
    public void TheParserBindsParametersInOrderAndNamesWhatItCannotRead()
    {
        var parameters = new JsonArray(new JsonObject { ["S"] = "a" }, new JsonObject { ["N"] = "2" });
        var insert = PartiQLInsert.Parse("INSERT INTO \"my\"\"table\" VALUE { 'k' : ?, 'n': ?, 's': 'it''s' }", parameters);
        insert.Table.Should().Be("my\"table");
        insert.Item["k"]!["S"]!.GetValue<string>().Should().Be("a");
        insert.Item["n"]!["N"]!.GetValue<string>().Should().Be("2");
        insert.Item["s"]!["S"]!.GetValue<string>().Should().Be("it's");
        insert.Item.Count.Should().Be(3);

        var tooFew = () => PartiQLInsert.Parse("INSERT INTO t VALUE {'k': ?, 'n': ?}", new JsonArray(new JsonObject { ["S"] = "a" }));
        tooFew.Should().Throw<FormatException>().WithMessage("*more ? placeholders than the 1 parameters*");
        var tooMany = () => PartiQLInsert.Parse("INSERT INTO t VALUE {'k': 'a'}", new JsonArray(new JsonObject { ["S"] = "a" }));
        tooMany.Should().Throw<FormatException>().WithMessage("*1 parameters were given for 0*");
        var update = () => PartiQLInsert.Parse("UPDATE t SET a = 1 WHERE k = 'a'", null);
        update.Should().Throw<FormatException>().WithMessage("*only INSERT*");
        var twice = () => PartiQLInsert.Parse("INSERT INTO t VALUE {'k': 'a', 'k': 'b'}", null);
        twice.Should().Throw<FormatException>().WithMessage("*'k' appears twice*");
        var trailing = () => PartiQLInsert.Parse("INSERT INTO t VALUE {'k': 'a'} extra", null);
        trailing.Should().Throw<FormatException>().WithMessage("*expected the end of the statement*");
    }

    [Test]
    public async Task AFaultWindowForTheTableFailsItsBatchExecuteStatementsAndWritesNothing(CancellationToken ct)
    {
        var table = await CreateTableAsync(stream: false, ct);
        Proxy.FailRequestsFor(TimeSpan.FromSeconds(2), new HashSet<string>([table]));
        var raw = () => RawAwsJson.DynamoDbAsync(Proxy.Endpoint, "BatchExecuteStatement", new JsonObject
        {
            ["Statements"] = new JsonArray(new JsonObject
            {
                ["Statement"] = $"INSERT INTO \"{table}\" VALUE {{'event_uuid': 'u-1'}}",
            }),
        });
        (await raw.Should().ThrowAsync<InvalidOperationException>()).WithMessage("*500*InternalServerError*");
        await Task.Delay(2100, ct);
        (await Db.ScanAsync(new ScanRequest { TableName = table }, ct)).Count.Should().Be(0);
        (await raw()).ToJsonString().Should().Be($$"""{"Responses":[{"TableName":"{{table}}"}]}""");
    }
}

using System.Net;
using Amazon.DynamoDBv2;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Events.Archiving;
using Pipelines.Events.Aws;
using Pipelines.Events.Domain;
using Pipelines.Shared.Aws;
using Pipelines.Tests.EventArchiver.Support;

namespace Pipelines.Tests.EventArchiver;

/// <summary>
/// The claim store's own DynamoDB JSON: the exact UpdateItem and BatchWriteItem bodies it sends, and how it reads
/// DynamoDB's answers (ALL_OLD attributes, ConditionalCheckFailedException, UnprocessedItems) in their real shapes.
/// </summary>
public sealed class ClaimStoreWireTests
{
    private const string Table = "event-archiver-dedup";
    private const long ExpiresAt = 1_900_000_000;
    private static readonly string Uuid = TestEvents.Uuid(5);
    private static readonly RecordId Winner = new("shardId-000000000001", "49590338271490256608559692538361571095921575989136588898");
    private static readonly RecordId Duplicate = new("shardId-000000000002", "49590338271490256608559692540925702759324208523137515618");

    private ScriptedDynamoDb _dynamo = null!;
    private HttpClient _http = null!;
    private IAmazonDynamoDB _sdk = null!;
    private List<TimeSpan> _delays = null!;
    private DynamoDbClaimStore _store = null!;

    [SetUp]
    public void Create()
    {
        _dynamo = new ScriptedDynamoDb();
        _http = new HttpClient(_dynamo);
        var credentials = new AwsCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
        var options = AwsClientOptions.Create(AwsService.DynamoDb, new Uri("https://dynamodb.us-east-1.amazonaws.com/"), "us-east-1", credentials);
        _sdk = AwsSdkClients.CreateDynamoDb(new Uri("http://127.0.0.1:9/"), "us-east-1", credentials); // not called here
        _delays = [];
        _store = new DynamoDbClaimStore(
            new AwsJsonClient(options, DynamoDbClaimStore.TargetPrefix, "1.0", _http), _sdk, Table,
            (wait, _) =>
            {
                _delays.Add(wait);
                return Task.CompletedTask;
            });
    }

    [TearDown]
    public void Dispose()
    {
        _http.Dispose();
        _dynamo.Dispose();
        _sdk.Dispose();
    }

    [Test]
    public async Task A_claim_is_one_conditional_UpdateItem_returning_the_old_item()
    {
        var result = await _store.ClaimAsync(Uuid, Winner, ExpiresAt, CancellationToken.None);

        result.Should().Be(new ClaimResult(true, null), "DynamoDB answers {} when there was no item");
        var call = _dynamo.Calls.Should().ContainSingle().Subject;
        call.Operation.Should().Be("UpdateItem");
        call.ContentType.Should().Be("application/x-amz-json-1.0");
        call.Body.Should().Be(
            "{\"TableName\":\"event-archiver-dedup\"," +
            "\"Key\":{\"event_uuid\":{\"S\":\"" + Uuid + "\"}}," +
            "\"UpdateExpression\":\"SET claimed_by = :me, expires_at = :exp\"," +
            "\"ConditionExpression\":\"attribute_not_exists(event_uuid) OR claimed_by = :me\"," +
            "\"ExpressionAttributeValues\":{\":me\":{\"S\":\"shardId-000000000001:49590338271490256608559692538361571095921575989136588898\"},\":exp\":{\"N\":\"1900000000\"}}," +
            "\"ReturnValues\":\"ALL_OLD\"}");
    }

    [Test]
    public async Task A_redelivered_claimant_learns_its_planned_object_from_the_old_item()
    {
        _dynamo.Answer(Fill("""
            {"Attributes":{"claimed_by":{"S":"<Winner>"},"event_uuid":{"S":"<Uuid>"},"expires_at":{"N":"1899990000"},
            "object_key":{"S":"events/event_type=page_view/dt=2024-03-01/shardId-000000000001-a.jsonl"}}}
            """));
        _dynamo.Answer(Fill("""{"Attributes":{"claimed_by":{"S":"<Winner>"},"event_uuid":{"S":"<Uuid>"},"expires_at":{"N":"1899990000"}}}"""));
        _dynamo.Answer("""{"Attributes":{"event_uuid":{"S":"x"},"object_key":{"S":""}},"ConsumedCapacity":{"TableName":"t","CapacityUnits":1.0}}""");

        (await _store.ClaimAsync(Uuid, Winner, ExpiresAt, CancellationToken.None))
            .Should().Be(new ClaimResult(true, "events/event_type=page_view/dt=2024-03-01/shardId-000000000001-a.jsonl"));
        (await _store.ClaimAsync(Uuid, Winner, ExpiresAt, CancellationToken.None))
            .Should().Be(new ClaimResult(true, null), "a claim made before its placement was saved has no object_key");
        (await _store.ClaimAsync(Uuid, Winner, ExpiresAt, CancellationToken.None))
            .Should().Be(new ClaimResult(true, null), "an empty object_key is no placement");
    }

    [Test]
    public async Task A_failed_condition_means_another_record_holds_the_uuid()
    {
        _dynamo.Answer(HttpStatusCode.BadRequest,
            """{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"}""");

        (await _store.ClaimAsync(Uuid, Duplicate, ExpiresAt, CancellationToken.None)).Should().Be(new ClaimResult(false, null));
    }

    [Test]
    public async Task Other_errors_reach_the_caller_classified_for_its_retries()
    {
        _dynamo.Answer(HttpStatusCode.BadRequest,
            """{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"The level of configured provisioned throughput for the table was exceeded."}""");
        _dynamo.Answer(HttpStatusCode.BadRequest,
            """{"__type":"com.amazon.coral.validate#ValidationException","message":"One or more parameter values were invalid"}""");

        var throttled = (await FluentActions.Awaiting(() => _store.ClaimAsync(Uuid, Winner, ExpiresAt, CancellationToken.None))
            .Should().ThrowAsync<AwsServiceException>()).Which;
        throttled.ErrorCode.Should().Be("ProvisionedThroughputExceededException");
        throttled.IsTransient.Should().BeTrue();
        var invalid = (await FluentActions.Awaiting(() => _store.SavePlacementsAsync(
                [new Placement(Uuid, Winner, ArchiveKind.Events, "events/a.jsonl")], ExpiresAt, CancellationToken.None))
            .Should().ThrowAsync<AwsServiceException>()).Which;
        invalid.ErrorCode.Should().Be("ValidationException");
        invalid.IsTransient.Should().BeFalse();
    }

    [Test]
    public async Task Placements_are_put_as_claim_items_and_duplicate_items()
    {
        await _store.SavePlacementsAsync(
            [
                new Placement(Uuid, Winner, ArchiveKind.Events, "events/event_type=page_view/dt=2024-03-01/a.jsonl"),
                new Placement(Uuid, Duplicate, ArchiveKind.Duplicated, "duplicated/event_type=page_view/dt=2024-03-01/b.jsonl"),
            ],
            ExpiresAt, CancellationToken.None);

        var call = _dynamo.Calls.Should().ContainSingle().Subject;
        call.Operation.Should().Be("BatchWriteItem");
        call.ContentType.Should().Be("application/x-amz-json-1.0");
        call.Body.Should().Be(
            "{\"RequestItems\":{\"event-archiver-dedup\":[" +
            "{\"PutRequest\":{\"Item\":{\"event_uuid\":{\"S\":\"" + Uuid + "\"}," +
            "\"claimed_by\":{\"S\":\"" + Winner + "\"}," +
            "\"object_key\":{\"S\":\"events/event_type=page_view/dt=2024-03-01/a.jsonl\"}," +
            "\"expires_at\":{\"N\":\"1900000000\"}}}}," +
            "{\"PutRequest\":{\"Item\":{\"event_uuid\":{\"S\":\"" + Uuid + "#dup#" + Duplicate + "\"}," +
            "\"object_key\":{\"S\":\"duplicated/event_type=page_view/dt=2024-03-01/b.jsonl\"}," +
            "\"expires_at\":{\"N\":\"1900000000\"}}}}]}}");
    }

    [Test]
    public async Task Placements_go_25_per_call()
    {
        var placements = Enumerable.Range(1, 26)
            .Select(i => new Placement(TestEvents.Uuid(i), Winner, ArchiveKind.Events, "events/a.jsonl")).ToList();

        await _store.SavePlacementsAsync(placements, ExpiresAt, CancellationToken.None);

        _dynamo.Calls.Select(c => CountOf(c.Body, "PutRequest")).Should().BeEquivalentTo([25, 1]);
    }

    [Test]
    public async Task Unprocessed_placements_are_sent_again_as_DynamoDB_returned_them()
    {
        var unprocessed = Fill("""{"PutRequest":{"Item":{"event_uuid":{"S":"<Uuid>#dup#<Duplicate>"},"object_key":{"S":"duplicated/b.jsonl"},"expires_at":{"N":"1900000000"}}}}""");
        _dynamo.Answer(Fill("""{"UnprocessedItems":{"<Table>":[<unprocessed>]},"ConsumedCapacity":[{"TableName":"<Table>","CapacityUnits":1.0}]}""").Replace("<unprocessed>", unprocessed, StringComparison.Ordinal));
        _dynamo.Answer("""{"UnprocessedItems":{}}""");

        await _store.SavePlacementsAsync(
            [new Placement(Uuid, Winner, ArchiveKind.Events, "events/a.jsonl"), new Placement(Uuid, Duplicate, ArchiveKind.Duplicated, "duplicated/b.jsonl")],
            ExpiresAt, CancellationToken.None);

        _dynamo.Calls.Should().HaveCount(2);
        _dynamo.Calls[1].Body.Should().Be(Fill("""{"RequestItems":{"<Table>":[<unprocessed>]}}""").Replace("<unprocessed>", unprocessed, StringComparison.Ordinal));
        _delays.Should().Equal(TimeSpan.FromMilliseconds(50));
    }

    [Test]
    public async Task Placements_DynamoDB_keeps_refusing_fail_with_an_IO_error_after_eight_rounds()
    {
        var unprocessed = Fill("""{"UnprocessedItems":{"<Table>":[{"PutRequest":{"Item":{"event_uuid":{"S":"<Uuid>"},"claimed_by":{"S":"<Winner>"},"object_key":{"S":"events/a.jsonl"},"expires_at":{"N":"1900000000"}}}}]}}""");
        for (var i = 0; i < 8; i++) _dynamo.Answer(unprocessed);

        await FluentActions.Awaiting(() => _store.SavePlacementsAsync(
                [new Placement(Uuid, Winner, ArchiveKind.Events, "events/a.jsonl")], ExpiresAt, CancellationToken.None))
            .Should().ThrowAsync<IOException>().WithMessage("DynamoDB left 1 writes unprocessed after 8 BatchWriteItem rounds.");

        _dynamo.Calls.Should().HaveCount(8);
        _delays.Select(d => d.TotalMilliseconds).Should().Equal(50, 100, 200, 400, 800, 1600, 3200);
    }

    /// <summary>The test's uuid, record ids and table in place of <c>&lt;Uuid&gt;</c>, <c>&lt;Winner&gt;</c>, <c>&lt;Duplicate&gt;</c>, <c>&lt;Table&gt;</c>.</summary>
    private static string Fill(string json) => json
        .Replace("<Uuid>", Uuid, StringComparison.Ordinal)
        .Replace("<Winner>", Winner.ToString(), StringComparison.Ordinal)
        .Replace("<Duplicate>", Duplicate.ToString(), StringComparison.Ordinal)
        .Replace("<Table>", Table, StringComparison.Ordinal);

    private static int CountOf(string text, string word) => (text.Length - text.Replace(word, "", StringComparison.Ordinal).Length) / word.Length;
}

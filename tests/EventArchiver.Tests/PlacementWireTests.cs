using System.Net;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Events.Archiving;
using Pipelines.Events.Domain;
using Pipelines.Shared.Aws;
using Pipelines.Tests.EventArchiver.Support;
using static Pipelines.Tests.EventArchiver.Support.DynamoWire;

namespace Pipelines.Tests.EventArchiver;

/// <summary>
/// The claim store's placement writes: the exact BatchWriteItem bodies it sends, and how it reads DynamoDB's answers
/// (UnprocessedItems, errors) in their real shapes.
/// </summary>
public sealed class PlacementWireTests
{
    private static readonly string Uuid = TestEvents.Uuid(5);
    private DynamoWire _wire = null!;

    [SetUp]
    public void Create() => _wire = new DynamoWire();

    [TearDown]
    public void Dispose() => _wire.Dispose();

    [Test]
    public async Task Placements_are_put_as_claim_items_and_duplicate_items()
    {
        await _wire.Store.SavePlacementsAsync(
            [
                new Placement(Uuid, Winner, ArchiveKind.Events, "events/event_type=page_view/dt=2024-03-01/a.jsonl"),
                new Placement(Uuid, Duplicate, ArchiveKind.Duplicated, "duplicated/event_type=page_view/dt=2024-03-01/b.jsonl"),
            ],
            ExpiresAt, CancellationToken.None);

        var call = _wire.Dynamo.Calls.Should().ContainSingle().Subject;
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

        await _wire.Store.SavePlacementsAsync(placements, ExpiresAt, CancellationToken.None);

        _wire.Dynamo.Calls.Select(c => CountOf(c.Body, "PutRequest")).Should().BeEquivalentTo([25, 1]);
    }

    [Test]
    public async Task Unprocessed_placements_are_sent_again_as_DynamoDB_returned_them()
    {
        var unprocessed = Fill("""{"PutRequest":{"Item":{"event_uuid":{"S":"<Uuid>#dup#<Duplicate>"},"object_key":{"S":"duplicated/b.jsonl"},"expires_at":{"N":"1900000000"}}}}""");
        _wire.Dynamo.Answer(Fill("""{"UnprocessedItems":{"<Table>":[<unprocessed>]},"ConsumedCapacity":[{"TableName":"<Table>","CapacityUnits":1.0}]}""").Replace("<unprocessed>", unprocessed, StringComparison.Ordinal));
        _wire.Dynamo.Answer("""{"UnprocessedItems":{}}""");

        await _wire.Store.SavePlacementsAsync(
            [new Placement(Uuid, Winner, ArchiveKind.Events, "events/a.jsonl"), new Placement(Uuid, Duplicate, ArchiveKind.Duplicated, "duplicated/b.jsonl")],
            ExpiresAt, CancellationToken.None);

        _wire.Dynamo.Calls.Should().HaveCount(2);
        _wire.Dynamo.Calls[1].Body.Should().Be(Fill("""{"RequestItems":{"<Table>":[<unprocessed>]}}""").Replace("<unprocessed>", unprocessed, StringComparison.Ordinal));
        _wire.Delays.Should().Equal(TimeSpan.FromMilliseconds(50));
    }

    [Test]
    public async Task Placements_DynamoDB_keeps_refusing_fail_with_an_IO_error_after_eight_rounds()
    {
        var unprocessed = Fill("""{"UnprocessedItems":{"<Table>":[{"PutRequest":{"Item":{"event_uuid":{"S":"<Uuid>"},"claimed_by":{"S":"<Winner>"},"object_key":{"S":"events/a.jsonl"},"expires_at":{"N":"1900000000"}}}}]}}""");
        for (var i = 0; i < 8; i++) _wire.Dynamo.Answer(unprocessed);

        await FluentActions.Awaiting(() => _wire.Store.SavePlacementsAsync(
                [new Placement(Uuid, Winner, ArchiveKind.Events, "events/a.jsonl")], ExpiresAt, CancellationToken.None))
            .Should().ThrowAsync<IOException>().WithMessage("DynamoDB left 1 writes unprocessed after 8 BatchWriteItem rounds.");

        _wire.Dynamo.Calls.Should().HaveCount(8);
        _wire.Delays.Select(d => d.TotalMilliseconds).Should().Equal(50, 100, 200, 400, 800, 1600, 3200);
    }

    [Test]
    public async Task A_refused_placement_call_reaches_the_caller_classified_for_its_retries()
    {
        _wire.Dynamo.Answer(HttpStatusCode.BadRequest,
            """{"__type":"com.amazon.coral.validate#ValidationException","message":"One or more parameter values were invalid"}""");

        var invalid = (await FluentActions.Awaiting(() => _wire.Store.SavePlacementsAsync(
                [new Placement(Uuid, Winner, ArchiveKind.Events, "events/a.jsonl")], ExpiresAt, CancellationToken.None))
            .Should().ThrowAsync<AwsServiceException>()).Which;
        invalid.ErrorCode.Should().Be("ValidationException");
        invalid.IsTransient.Should().BeFalse();
    }

    /// <summary>The test's uuid, record ids and table in place of <c>&lt;Uuid&gt;</c>, <c>&lt;Winner&gt;</c>, <c>&lt;Duplicate&gt;</c>, <c>&lt;Table&gt;</c>.</summary>
    private static string Fill(string json) => json
        .Replace("<Uuid>", Uuid, StringComparison.Ordinal)
        .Replace("<Winner>", Winner.ToString(), StringComparison.Ordinal)
        .Replace("<Duplicate>", Duplicate.ToString(), StringComparison.Ordinal)
        .Replace("<Table>", Table, StringComparison.Ordinal);

    private static int CountOf(string text, string word) => (text.Length - text.Replace(word, "", StringComparison.Ordinal).Length) / word.Length;
}

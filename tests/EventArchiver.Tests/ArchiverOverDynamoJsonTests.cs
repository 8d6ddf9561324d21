using System.Globalization;
using System.Net;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Events.Archiving;
using Pipelines.Events.Domain;
using Pipelines.Shared.Resilience;
using Pipelines.Tests.EventArchiver.Support;
using static Pipelines.Tests.EventArchiver.Support.DynamoWire;

namespace Pipelines.Tests.EventArchiver;

/// <summary>
/// The archiver's claim rounds through the real DynamoDB claim store and its wire format: how records become
/// BatchExecuteStatement calls, and what a statement's or a call's failure does to the records behind it.
/// </summary>
public sealed class ArchiverOverDynamoJsonTests
{
    private const string ShardId = "shardId-000000000001";
    private DynamoWire _wire = null!;
    private InMemoryArchiveStore _archive = null!;
    private ExactlyOnceArchiver _archiver = null!;

    [SetUp]
    public void Create()
    {
        _wire = new DynamoWire();
        _archive = new InMemoryArchiveStore();
        var retry = new RetryOptions { MaxAttempts = 2, Delay = (_, _) => Task.CompletedTask };
        _archiver = new ExactlyOnceArchiver(_wire.Store, _archive, new ArchiverOptions { Retry = retry });
    }

    [TearDown]
    public void Dispose() => _wire.Dispose();

    /// <summary>Valid events n = 0.. with the given uuids, in sequence order on one shard.</summary>
    private static List<ArchiveRecord> Records(params string[] uuids) =>
    [
        .. uuids.Select((uuid, n) => new ArchiveRecord(
            new RecordId(ShardId, (1000 + n).ToString(CultureInfo.InvariantCulture)),
            EventParser.Parse(TestEvents.Bytes(n, uuid)).Event!)),
    ];

    private Task<ArchiveOutcome> ArchiveAsync(List<ArchiveRecord> records) =>
        _archiver.ArchiveAsync(records, DateTimeOffset.UtcNow, CancellationToken.None, CancellationToken.None);

    private static int Statements(string body) => body.Split("\"Statement\"").Length - 1;

    [Test]
    public async Task Sixty_new_uuids_are_claimed_in_calls_of_25_then_planned_and_written()
    {
        var outcome = await ArchiveAsync(Records([.. Enumerable.Range(0, 60).Select(TestEvents.Uuid)]));

        outcome.Statuses.Should().AllBeEquivalentTo(RecordStatus.Written);
        _wire.Bodies("BatchExecuteStatement").Select(Statements).Should().BeEquivalentTo([25, 25, 10]);
        _wire.Bodies("BatchGetItem").Should().BeEmpty("no claim was refused");
        _archive.Puts.Should().Be(1);
    }

    [Test]
    public async Task A_refused_statement_fails_only_its_uuids_records()
    {
        // n=0 and n=2 share uuid 1; n=1 has uuid 2.
        _wire.Dynamo.Answer(Responses(
            ErrorResponse("ValidationError", "One or more parameter values were invalid: Type mismatch for key"),
            Succeeded));

        var outcome = await ArchiveAsync(Records(TestEvents.Uuid(1), TestEvents.Uuid(2), TestEvents.Uuid(1)));

        outcome.Statuses.Should().Equal(RecordStatus.Failed, RecordStatus.Written, RecordStatus.Failed);
        outcome.Kinds.Should().Equal(null, ArchiveKind.Events, null);
        var error = outcome.Errors.Should().ContainSingle().Subject;
        (error.Stage, error.Records).Should().Be(("claim", 2));
        error.Exception.Message.Should().Contain("ValidationError");
        _wire.Bodies("BatchExecuteStatement").Should().ContainSingle("n=2 waits with n=0 instead of being claimed");
    }

    [Test]
    public async Task A_call_failing_as_a_whole_fails_every_claim_it_carried_after_the_retries()
    {
        for (var i = 0; i < 2; i++)
        {
            _wire.Dynamo.Answer(HttpStatusCode.InternalServerError,
                """{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"Internal server error"}""");
        }

        var outcome = await ArchiveAsync(Records(TestEvents.Uuid(1), TestEvents.Uuid(2), TestEvents.Uuid(1)));

        outcome.Statuses.Should().AllBeEquivalentTo(RecordStatus.Failed);
        var error = outcome.Errors.Should().ContainSingle().Subject;
        (error.Stage, error.Records).Should().Be(("claim", 3));
        _wire.Dynamo.Calls.Should().HaveCount(2).And.OnlyContain(c => c.Operation == "BatchExecuteStatement");
        _archive.Puts.Should().Be(0);
    }

    [Test]
    public async Task Refusals_without_the_item_from_two_calls_are_read_with_one_BatchGetItem_after_the_round()
    {
        // 50 uuids: two calls of 25, each with its fourth claim refused (uuids 3 and 28, held by another shard's record).
        var refused = ErrorResponse("DuplicateItem", "Duplicate primary key exists in table");
        var answer = Responses([.. Enumerable.Range(0, 25).Select(i => i == 3 ? refused : Succeeded)]);
        _wire.Dynamo.Answer(answer);
        _wire.Dynamo.Answer(answer);
        _wire.Dynamo.Answer("{\"Responses\":{\"" + Table + "\":[" + Item(TestEvents.Uuid(28), Duplicate) + "," +
                            Item(TestEvents.Uuid(3), Duplicate) + "]},\"UnprocessedKeys\":{}}");

        var outcome = await ArchiveAsync(Records([.. Enumerable.Range(0, 50).Select(TestEvents.Uuid)]));

        outcome.Statuses.Should().AllBeEquivalentTo(RecordStatus.Written);
        outcome.Kinds.Select((kind, n) => (kind, n)).Where(k => k.kind == ArchiveKind.Duplicated).Select(k => k.n).Should().Equal(3, 28);
        _wire.Dynamo.Calls.Select(c => c.Operation).Take(3).Should().Equal("BatchExecuteStatement", "BatchExecuteStatement", "BatchGetItem");
        _wire.Bodies("BatchGetItem").Should().ContainSingle().Which.Should().Be(
            "{\"RequestItems\":{\"" + Table + "\":{\"Keys\":[" +
            "{\"event_uuid\":{\"S\":\"" + TestEvents.Uuid(3) + "\"}},{\"event_uuid\":{\"S\":\"" + TestEvents.Uuid(28) + "\"}}]," +
            "\"ConsistentRead\":true,\"ProjectionExpression\":\"event_uuid, claimed_by, object_key\"}}}");
    }

    [Test]
    public async Task A_failed_read_of_the_holders_fails_only_the_refused_uuids_records()
    {
        // n=0 and n=2 share uuid 1 (refused without its holder); n=1 has uuid 2. The read fails on both attempts.
        _wire.Dynamo.Answer(Responses(ErrorResponse("DuplicateItem", "Duplicate primary key exists in table"), Succeeded));
        for (var i = 0; i < 2; i++)
        {
            _wire.Dynamo.Answer(HttpStatusCode.InternalServerError,
                """{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"Internal server error"}""");
        }

        var outcome = await ArchiveAsync(Records(TestEvents.Uuid(1), TestEvents.Uuid(2), TestEvents.Uuid(1)));

        outcome.Statuses.Should().Equal(RecordStatus.Failed, RecordStatus.Written, RecordStatus.Failed);
        var error = outcome.Errors.Should().ContainSingle().Subject;
        (error.Stage, error.Records).Should().Be(("claim", 2));
        _wire.Dynamo.Calls.Select(c => c.Operation).Take(3).Should().Equal("BatchExecuteStatement", "BatchGetItem", "BatchGetItem");
    }

    [Test]
    public async Task A_uuid_held_elsewhere_sends_its_next_copy_in_the_next_round_after_reading_the_holder()
    {
        // Uuid 1 is held by another shard's record: n=0 loses, then n=2 asks in round 2 and loses too.
        var refused = ErrorResponse("DuplicateItem", "Duplicate primary key exists in table");
        var holder = "{\"Responses\":{\"" + Table + "\":[" + Item(TestEvents.Uuid(1), Duplicate) + "]},\"UnprocessedKeys\":{}}";
        _wire.Dynamo.Answer(Responses(refused, Succeeded));
        _wire.Dynamo.Answer(holder);
        _wire.Dynamo.Answer(Responses(refused));
        _wire.Dynamo.Answer(holder);

        var outcome = await ArchiveAsync(Records(TestEvents.Uuid(1), TestEvents.Uuid(2), TestEvents.Uuid(1)));

        outcome.Statuses.Should().AllBeEquivalentTo(RecordStatus.Written);
        outcome.Kinds.Should().Equal(ArchiveKind.Duplicated, ArchiveKind.Events, ArchiveKind.Duplicated);
        _wire.Dynamo.Calls.Select(c => c.Operation).Take(4).Should().Equal("BatchExecuteStatement", "BatchGetItem", "BatchExecuteStatement", "BatchGetItem");
        _wire.Bodies("BatchExecuteStatement")[1].Should().Contain($"{ShardId}:1002");
        _wire.Sdk.Lookups.Should().Be(1, "where earlier attempts planned the duplicates is read once");
    }
}

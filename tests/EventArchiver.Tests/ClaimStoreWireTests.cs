using System.Net;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Events.Archiving;
using Pipelines.Events.Aws;
using Pipelines.Shared.Aws;
using Pipelines.Tests.EventArchiver.Support;
using static Pipelines.Tests.EventArchiver.Support.DynamoWire;

namespace Pipelines.Tests.EventArchiver;

/// <summary>
/// The claim store's own DynamoDB JSON: the BatchExecuteStatement bodies of PartiQL INSERTs it sends, and how it reads
/// DynamoDB's answers (per-statement errors with or without the holding item, the consistent BatchGetItem of the
/// holders, throttled statements, whole-call errors) in their documented shapes.
/// </summary>
public sealed class ClaimStoreWireTests
{
    private static readonly string U1 = TestEvents.Uuid(1);
    private static readonly string U2 = TestEvents.Uuid(2);
    private static readonly string U3 = TestEvents.Uuid(3);
    private static readonly string U4 = TestEvents.Uuid(4);
    private DynamoWire _wire = null!;

    [SetUp]
    public void Create() => _wire = new DynamoWire();

    [TearDown]
    public void Dispose() => _wire.Dispose();

    private Task<IReadOnlyList<ClaimOutcome>> ClaimAsync(params ClaimAttempt[] attempts) =>
        _wire.Store.ClaimAsync(attempts, ExpiresAt, CancellationToken.None);

    [Test]
    public async Task Claims_are_PartiQL_inserts_sent_together_in_one_BatchExecuteStatement()
    {
        var outcomes = await ClaimAsync(new(U1, Winner), new(U2, Duplicate));

        outcomes.Should().Equal(ClaimOutcome.Won(null), ClaimOutcome.Won(null));
        var call = _wire.Dynamo.Calls.Should().ContainSingle().Subject;
        call.Operation.Should().Be("BatchExecuteStatement");
        call.ContentType.Should().Be("application/x-amz-json-1.0");
        call.Body.Should().Be(
            "{\"Statements\":[" +
            "{\"Statement\":\"INSERT INTO \\\"event-archiver-dedup\\\" VALUE {'event_uuid': ?, 'claimed_by': ?, 'expires_at': ?}\"," +
            "\"Parameters\":[{\"S\":\"" + U1 + "\"},{\"S\":\"shardId-000000000001:49590338271490256608559692538361571095921575989136588898\"},{\"N\":\"1900000000\"}]," +
            "\"ReturnValuesOnConditionCheckFailure\":\"ALL_OLD\"}," +
            "{\"Statement\":\"INSERT INTO \\\"event-archiver-dedup\\\" VALUE {'event_uuid': ?, 'claimed_by': ?, 'expires_at': ?}\"," +
            "\"Parameters\":[{\"S\":\"" + U2 + "\"},{\"S\":\"shardId-000000000002:49590338271490256608559692540925702759324208523137515618\"},{\"N\":\"1900000000\"}]," +
            "\"ReturnValuesOnConditionCheckFailure\":\"ALL_OLD\"}]}");
    }

    [Test]
    public async Task A_call_carries_at_most_25_claims()
    {
        var attempts = Enumerable.Range(0, 26).Select(i => new ClaimAttempt(TestEvents.Uuid(i), Winner)).ToArray();

        _wire.Store.MaxClaimsPerCall.Should().Be(25);
        await FluentActions.Awaiting(() => ClaimAsync(attempts)).Should().ThrowAsync<ArgumentOutOfRangeException>();
        _wire.Dynamo.Calls.Should().BeEmpty();
        (await ClaimAsync(attempts[..25])).Should().HaveCount(25).And.AllBeEquivalentTo(ClaimOutcome.Won(null));
        CountOf(_wire.Dynamo.Calls.Single().Body, "\"Statement\"").Should().Be(25);
    }

    [Test]
    public async Task Statement_answers_decide_the_claims_in_request_order()
    {
        // Members in any order, unknown ones skipped: what DynamoDB documents, not how it happens to order them.
        _wire.Dynamo.Answer(
            "{\"ConsumedCapacity\":[{\"TableName\":\"" + Table + "\",\"CapacityUnits\":4.0}],\"Responses\":[" + Succeeded + "," +
            ErrorResponse("DuplicateItem", "Duplicate primary key exists in table", Item(U2, Duplicate)) + "," +
            "{\"TableName\":\"" + Table + "\",\"Error\":{\"Item\":" + Item(U3, Winner, "events/event_type=lesson/created_date=2024-03-01/a.jsonl") +
            ",\"Message\":\"The conditional request failed\",\"Code\":\"ConditionalCheckFailed\"}}," + Succeeded + "]}");

        var outcomes = await ClaimAsync(new(U1, Winner), new(U2, Winner), new(U3, Winner), new(U4, Winner));

        outcomes.Should().Equal(
            ClaimOutcome.Won(null),
            ClaimOutcome.Lost,
            ClaimOutcome.Won("events/event_type=lesson/created_date=2024-03-01/a.jsonl"),
            ClaimOutcome.Won(null));
        _wire.Dynamo.Calls.Should().ContainSingle("the refusals carried their items: nothing to read");
    }

    [Test]
    public async Task Refusals_without_the_item_are_answered_refused_and_decided_by_one_consistent_BatchGetItem()
    {
        _wire.Dynamo.Answer(Responses(
            ErrorResponse("DuplicateItem", "Duplicate primary key exists in table"),
            ErrorResponse("DuplicateItem", "Duplicate primary key exists in table"),
            ErrorResponse("DuplicateItem", "Duplicate primary key exists in table")));
        // U3's item expired (TTL) between the refusal and the read: it is claimed again, not guessed.
        _wire.Dynamo.Answer(
            "{\"Responses\":{\"" + Table + "\":[" + Item(U2, Duplicate) + "," + Item(U1, Winner, "events/a.jsonl") + "]},\"UnprocessedKeys\":{}}");
        ClaimAttempt[] attempts = [new(U1, Winner), new(U2, Winner), new(U3, Winner)];

        (await ClaimAsync(attempts)).Should().AllBeEquivalentTo(ClaimOutcome.Refused);
        _wire.Dynamo.Calls.Should().ContainSingle("the holders are read when the caller asks, for all of its refusals at once");
        var outcomes = await _wire.Store.DecideRefusedAsync(attempts, ExpiresAt, CancellationToken.None);

        outcomes.Should().Equal(ClaimOutcome.Won("events/a.jsonl"), ClaimOutcome.Lost, ClaimOutcome.Won(null));
        _wire.Dynamo.Calls.Select(c => c.Operation).Should().Equal("BatchExecuteStatement", "BatchGetItem", "BatchExecuteStatement");
        _wire.Dynamo.Calls[1].Body.Should().Be(
            "{\"RequestItems\":{\"" + Table + "\":{\"Keys\":[" +
            "{\"event_uuid\":{\"S\":\"" + U1 + "\"}},{\"event_uuid\":{\"S\":\"" + U2 + "\"}},{\"event_uuid\":{\"S\":\"" + U3 + "\"}}]," +
            "\"ConsistentRead\":true,\"ProjectionExpression\":\"event_uuid, claimed_by, object_key\"}}}");
        _wire.Dynamo.Calls[2].Body.Should().Be(StatementsBody(StatementOf(U3, Winner)));
    }

    [Test]
    public async Task Holder_reads_DynamoDB_left_unprocessed_are_sent_again_as_returned()
    {
        var unprocessed = "{\"" + Table + "\":{\"Keys\":[{\"event_uuid\":{\"S\":\"" + U1 + "\"}}],\"ConsistentRead\":true,\"ProjectionExpression\":\"event_uuid, claimed_by, object_key\"}}";
        _wire.Dynamo.Answer(Responses(ErrorResponse("DuplicateItem", "Duplicate primary key exists in table")));
        _wire.Dynamo.Answer("{\"Responses\":{\"" + Table + "\":[]},\"UnprocessedKeys\":" + unprocessed + "}");
        _wire.Dynamo.Answer("{\"Responses\":{\"" + Table + "\":[" + Item(U1, Duplicate) + "]},\"UnprocessedKeys\":{}}");

        (await ClaimAsync(new ClaimAttempt(U1, Winner))).Should().Equal(ClaimOutcome.Refused);
        (await _wire.Store.DecideRefusedAsync([new ClaimAttempt(U1, Winner)], ExpiresAt, CancellationToken.None)).Should().Equal(ClaimOutcome.Lost);

        _wire.Bodies("BatchGetItem").Should().HaveCount(2).And.EndWith("{\"RequestItems\":" + unprocessed + "}");
        _wire.Delays.Should().Equal(TimeSpan.FromMilliseconds(50));
    }

    [Test]
    public async Task Throttled_statements_are_sent_again_alone_until_they_succeed()
    {
        _wire.Dynamo.Answer(Responses(
            Succeeded,
            ErrorResponse("ThrottlingError", "Throughput exceeds the current capacity of your table or index."),
            ErrorResponse("ProvisionedThroughputExceeded", "The level of configured provisioned throughput for the table was exceeded."),
            ErrorResponse("TransactionConflict", "Transaction is ongoing for the item")));

        var outcomes = await ClaimAsync(new(U1, Winner), new(U2, Winner), new(U3, Winner), new(U4, Winner));

        outcomes.Should().AllBeEquivalentTo(ClaimOutcome.Won(null));
        _wire.Bodies("BatchExecuteStatement").Should().HaveCount(2)
            .And.EndWith(StatementsBody(StatementOf(U2, Winner), StatementOf(U3, Winner), StatementOf(U4, Winner)));
        _wire.Delays.Should().Equal(TimeSpan.FromMilliseconds(50));
    }

    [Test]
    public async Task Statements_DynamoDB_keeps_throttling_fail_after_eight_rounds_and_only_they()
    {
        const string Message = "Too many requests for this table";
        _wire.Dynamo.Answer(Responses(Succeeded, ErrorResponse("RequestLimitExceeded", Message)));
        for (var i = 1; i < 8; i++) _wire.Dynamo.Answer(Responses(ErrorResponse("RequestLimitExceeded", Message)));

        var outcomes = await ClaimAsync(new(U1, Winner), new(U2, Winner));

        outcomes[0].Should().Be(ClaimOutcome.Won(null));
        outcomes[1].Verdict.Should().Be(ClaimVerdict.Failed);
        var error = outcomes[1].Error.Should().BeOfType<AwsServiceException>().Subject;
        error.ErrorCode.Should().Be("RequestLimitExceeded");
        error.Message.Should().Contain(U2).And.Contain("RequestLimitExceeded: " + Message).And.Contain("8 BatchExecuteStatement rounds");
        _wire.Dynamo.Calls.Should().HaveCount(8);
        _wire.Delays.Select(d => d.TotalMilliseconds).Should().Equal(50, 100, 200, 400, 800, 1600, 3200);
    }

    [Test]
    public async Task A_statement_DynamoDB_refuses_for_good_fails_only_its_claim()
    {
        _wire.Dynamo.Answer(Responses(
            ErrorResponse("ValidationError", "One or more parameter values were invalid: Type mismatch for key"),
            Succeeded,
            ErrorResponse("AccessDenied", "User is not authorized to perform: dynamodb:PartiQLInsert")));

        var outcomes = await ClaimAsync(new(U1, Winner), new(U2, Winner), new(U3, Winner));

        outcomes.Select(o => o.Verdict).Should().Equal(ClaimVerdict.Failed, ClaimVerdict.Won, ClaimVerdict.Failed);
        outcomes[0].Error!.Message.Should().Contain(U1).And.Contain("ValidationError: One or more parameter values were invalid: Type mismatch for key");
        outcomes[2].Error!.Message.Should().Contain("AccessDenied: User is not authorized to perform: dynamodb:PartiQLInsert");
        ((AwsServiceException)outcomes[2].Error!).IsTransient.Should().BeFalse();
        _wire.Dynamo.Calls.Should().ContainSingle("a refusal for good is not sent again");
    }

    [Test]
    public async Task A_whole_call_error_reaches_the_caller_classified_for_its_retries()
    {
        _wire.Dynamo.Answer(HttpStatusCode.InternalServerError,
            """{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"Internal server error"}""");
        _wire.Dynamo.Answer(HttpStatusCode.BadRequest,
            """{"__type":"com.amazon.coral.validate#ValidationException","message":"1 validation error detected: Value at 'statements' failed to satisfy constraint"}""");

        var fault = (await FluentActions.Awaiting(() => ClaimAsync(new ClaimAttempt(U1, Winner))).Should().ThrowAsync<AwsServiceException>()).Which;
        fault.StatusCode.Should().Be(500);
        fault.IsTransient.Should().BeTrue();
        var invalid = (await FluentActions.Awaiting(() => ClaimAsync(new ClaimAttempt(U1, Winner))).Should().ThrowAsync<AwsServiceException>()).Which;
        invalid.ErrorCode.Should().Be("ValidationException");
        invalid.IsTransient.Should().BeFalse();
    }

    [Test]
    public async Task An_answer_that_does_not_match_the_statements_is_an_error_not_a_guess()
    {
        _wire.Dynamo.Answer(Responses(Succeeded));
        _wire.Dynamo.Answer("""{"ConsumedCapacity":[]}""");

        (await FluentActions.Awaiting(() => ClaimAsync(new(U1, Winner), new(U2, Winner))).Should().ThrowAsync<AwsServiceException>())
            .Which.Message.Should().Contain("has 1 responses for 2 statements");
        (await FluentActions.Awaiting(() => ClaimAsync(new ClaimAttempt(U1, Winner))).Should().ThrowAsync<AwsServiceException>())
            .Which.Message.Should().Contain("has no Responses");
    }

    [TestCase("event-archiver-dedup", true)]
    [TestCase("Events_v2.dedup", true)]
    [TestCase("ab", false)]
    [TestCase("dedup\" VALUE {}", false)]
    [TestCase("dédup", false)]
    public void Only_a_valid_DynamoDB_table_name_goes_into_the_statement(string table, bool valid)
    {
        var create = () => new DynamoDbClaimStore(_wire.Json, _wire.Sdk, table);

        if (valid) create.Should().NotThrow();
        else create.Should().Throw<ArgumentException>().WithMessage("*is not a DynamoDB table name*");
    }

    private static int CountOf(string text, string word) => (text.Length - text.Replace(word, "", StringComparison.Ordinal).Length) / word.Length;
}

using FluentAssertions;
using NUnit.Framework;
using Pipelines.Shared.Kinesis;
using Pipelines.Tests.EventArchiver.Support;

namespace Pipelines.Tests.EventArchiver;

/// <summary>
/// Each redelivery behaviour of a Lambda Kinesis mapping, replayed against the in-memory claim table and bucket
/// (same interfaces as the DynamoDB and S3 sinks), with faults injected at chosen points.
/// </summary>
public class ExactlyOnceTests
{
    private static readonly string[] Names = ["lesson:started", "payment:refund:requested", "account:created"];

    /// <summary>30 records: n 0..29, uuids 0..19 (n 20..29 re-use uuids 0..9), three types, two dates.</summary>
    private static (FakeShard Shard, List<(int N, string Uuid)> Sent) Stream(int count = 30, int distinctUuids = 20, string shardId = "shardId-000000000000")
    {
        var shard = new FakeShard(shardId);
        var sent = new List<(int, string)>();
        for (var n = 0; n < count; n++)
        {
            var uuid = TestEvents.Uuid(n % distinctUuids);
            shard.Add(TestEvents.Bytes(n, uuid, Names[n % 3], n % 2 == 0 ? TestEvents.Day1 : TestEvents.Day2));
            sent.Add((n, uuid));
        }
        return (shard, sent);
    }

    [Test]
    public async Task A_fresh_batch_writes_one_object_per_kind_type_and_date()
    {
        var (shard, sent) = Stream();
        var harness = new ArchiverHarness();

        var result = await harness.InvokeAsync(shard.Batch(0, 30));

        result.Succeeded.Should().BeTrue();
        result.Result!.EventsWritten.Should().Be(20);
        result.Result.DuplicatesWritten.Should().Be(10);
        var audit = ArchiveAudit.Of(harness.Archive);
        audit.ShouldBeExactlyOnce(sent);
        var groups = audit.Lines.Select(l => (l.Key.Split('/')[0], l.EventType, l.CreatedDatetime[..10])).Distinct().Count();
        harness.Archive.Puts.Should().Be(groups, "S3 requests are the cost driver: one PUT per group");
        harness.Archive.ExistsChecks.Should().Be(0, "a fresh batch needs no S3 reads");
        groups.Should().Be(12);
    }

    [Test]
    public async Task The_same_batch_delivered_twice_writes_nothing_the_second_time()
    {
        var (shard, sent) = Stream();
        var harness = new ArchiverHarness();
        await harness.InvokeAsync(shard.Batch(0, 30));
        var before = harness.Archive.Objects.ToDictionary(kv => kv.Key, kv => kv.Value);
        var puts = harness.Archive.Puts;

        var again = await harness.InvokeAsync(shard.Batch(0, 30));

        again.Succeeded.Should().BeTrue();
        again.Result!.AlreadyArchived.Should().Be(30);
        again.Result.EventsWritten.Should().Be(0);
        again.Result.DuplicatesWritten.Should().Be(0, "a redelivered record is not a duplicate");
        harness.Archive.Puts.Should().Be(puts);
        harness.Archive.Objects.Should().BeEquivalentTo(before);
        ArchiveAudit.Of(harness.Archive).ShouldBeExactlyOnce(sent);
    }

    [Test]
    public async Task The_same_batch_delivered_twice_after_a_crash_between_two_puts()
    {
        var (shard, sent) = Stream();
        var harness = new ArchiverHarness();
        harness.Faults.On(SinkOp.Put, FaultKind.CrashAfterEffect, when: k => k.Contains("payment", StringComparison.Ordinal));

        (await harness.InvokeAsync(shard.Batch(0, 30))).IsCrash.Should().BeTrue();
        harness.Archive.Puts.Should().BeGreaterThan(0, "the crash came after a put landed");
        var again = await harness.InvokeAsync(shard.Batch(0, 30));

        again.Succeeded.Should().BeTrue();
        again.Result!.AlreadyArchived.Should().BeGreaterThan(0);
        ArchiveAudit.Of(harness.Archive).ShouldBeExactlyOnce(sent);
    }

    [Test]
    public async Task A_retry_that_starts_at_the_reported_failure_completes_the_rest_without_rewriting_the_prefix()
    {
        var (shard, sent) = Stream();
        var harness = new ArchiverHarness();
        // Every attempt to put the account:created objects fails for good in the first invocation.
        harness.Faults.On(SinkOp.Put, FaultKind.Permanent, times: 4, when: k => k.Contains("event_type=account", StringComparison.Ordinal));

        var first = await harness.InvokeAsync(shard.Batch(0, 30));

        first.FailedAt.Should().Be(shard.Records[2].Kinesis.SequenceNumber, "n=2 is the first account:created record");
        first.Result!.Failed.Should().Be(10);
        var prefix = ArchiveAudit.Of(harness.Archive).Lines.Select(l => l.N).ToList();
        prefix.Should().Contain([0, 1], "records before the reported failure were durably archived");

        var at = shard.IndexOf(first.FailedAt!);
        var retry = await harness.InvokeAsync(shard.Batch(at, 30 - at));

        retry.Succeeded.Should().BeTrue();
        retry.Result!.EventsWritten.Should().Be(6, "the account:created first occurrences n = 2, 5, 8, 11, 14, 17");
        retry.Result.DuplicatesWritten.Should().Be(4, "n = 20, 23, 26, 29 re-use earlier uuids");
        ArchiveAudit.Of(harness.Archive).ShouldBeExactlyOnce(sent);
    }

    [Test]
    public async Task A_bisected_retry_after_a_crash_archives_each_record_once()
    {
        var (shard, sent) = Stream();
        var harness = new ArchiverHarness();
        harness.Faults.On(SinkOp.Put, FaultKind.CrashAfterEffect, when: k => k.Contains("lesson", StringComparison.Ordinal));

        (await harness.InvokeAsync(shard.Batch(0, 30))).IsCrash.Should().BeTrue();
        (await harness.InvokeAsync(shard.Batch(0, 15))).Succeeded.Should().BeTrue();
        (await harness.InvokeAsync(shard.Batch(15, 15))).Succeeded.Should().BeTrue();

        ArchiveAudit.Of(harness.Archive).ShouldBeExactlyOnce(sent);
    }

    [Test]
    public async Task A_bisected_half_that_exhausts_its_retries_leaves_no_record_in_two_objects()
    {
        // The case that breaks naming objects after "the group's first record in this invocation": the first attempt
        // writes whole groups spanning both halves, the first half is then given up on, and the second half must not
        // write its records again under new names.
        var (shard, sent) = Stream();
        var harness = new ArchiverHarness();
        harness.Faults.On(SinkOp.Put, FaultKind.CrashAfterEffect, when: k => k.Contains("duplicated", StringComparison.Ordinal));
        (await harness.InvokeAsync(shard.Batch(0, 30))).IsCrash.Should().BeTrue();
        harness.Faults.On(SinkOp.Claim, FaultKind.Permanent, times: 1000, when: k => k == TestEvents.Uuid(0));
        for (var attempt = 0; attempt < 3; attempt++)
            (await harness.InvokeAsync(shard.Batch(0, 15))).Succeeded.Should().BeFalse();
        harness.Faults.Clear();

        var second = await harness.InvokeAsync(shard.Batch(15, 15));

        second.Succeeded.Should().BeTrue();
        second.Result!.AlreadyArchived.Should().BeGreaterThan(0, "the first attempt had already archived some of these");
        ArchiveAudit.Of(harness.Archive).ShouldBeExactlyOnce(sent, mayBeMissing: Enumerable.Range(0, 15).ToHashSet());
    }

    [Test]
    public async Task A_retry_batch_larger_than_the_first_archives_each_record_once()
    {
        var (shard, sent) = Stream();
        var harness = new ArchiverHarness();
        harness.Faults.On(SinkOp.Put, FaultKind.CrashAfterEffect, times: 1);

        (await harness.InvokeAsync(shard.Batch(0, 12))).IsCrash.Should().BeTrue();
        var larger = await harness.InvokeAsync(shard.Batch(0, 30));

        larger.Succeeded.Should().BeTrue();
        ArchiveAudit.Of(harness.Archive).ShouldBeExactlyOnce(sent);
    }

    [Test]
    public async Task A_larger_retry_after_a_crash_between_planning_and_putting_reuses_nothing_stale()
    {
        var (shard, sent) = Stream();
        var harness = new ArchiverHarness();
        // Plans are saved, then the invocation dies before any object exists.
        harness.Faults.On(SinkOp.Put, FaultKind.Crash, times: 1);

        (await harness.InvokeAsync(shard.Batch(0, 12))).IsCrash.Should().BeTrue();
        harness.Claims.PlacementsSaved.Should().BeGreaterThan(0);
        (await harness.InvokeAsync(shard.Batch(0, 30))).Succeeded.Should().BeTrue();
        (await harness.InvokeAsync(shard.Batch(0, 12))).Succeeded.Should().BeTrue();

        ArchiveAudit.Of(harness.Archive).ShouldBeExactlyOnce(sent);
    }

    [Test]
    public async Task A_lost_put_response_is_retried_in_the_invocation_without_a_second_copy()
    {
        var (shard, sent) = Stream();
        var harness = new ArchiverHarness();
        harness.Faults.On(SinkOp.Put, FaultKind.TransientAfterEffect, times: 2)
            .On(SinkOp.Claim, FaultKind.Transient, times: 2) // the batch's one claim call, failing twice of its 3 tries
            .On(SinkOp.SavePlacements, FaultKind.TransientAfterEffect, times: 1)
            .On(SinkOp.LookupDuplicates, FaultKind.Transient, times: 1);

        var result = await harness.InvokeAsync(shard.Batch(0, 30));

        result.Succeeded.Should().BeTrue("transient failures are retried inside the invocation");
        harness.Faults.Injected.Should().Be(6);
        ArchiveAudit.Of(harness.Archive).ShouldBeExactlyOnce(sent);
    }

    [Test]
    public async Task Exhausted_retries_report_the_first_record_not_archived()
    {
        var (shard, _) = Stream();
        var harness = new ArchiverHarness(maxAttempts: 3);
        harness.Faults.On(SinkOp.Put, FaultKind.Transient, times: 3, when: k => k.StartsWith("events/event_type=payment/created_date=2024-03-02/", StringComparison.Ordinal));

        var result = await harness.InvokeAsync(shard.Batch(0, 30));

        result.FailedAt.Should().Be(shard.Records[1].Kinesis.SequenceNumber, "n=1 is the first payment:refund record on 2024-03-02");
        result.Result!.Failed.Should().Be(4, "n = 1, 7, 13, 19 share that object");
    }

    [Test]
    public async Task A_claim_failure_holds_back_later_records_with_the_same_uuid()
    {
        var (shard, sent) = Stream();
        var harness = new ArchiverHarness();
        harness.Faults.On(SinkOp.Claim, FaultKind.Permanent, times: 1, when: k => k == TestEvents.Uuid(4));

        var first = await harness.InvokeAsync(shard.Batch(0, 30));

        first.FailedAt.Should().Be(shard.Records[4].Kinesis.SequenceNumber);
        ArchiveAudit.Of(harness.Archive).Lines.Select(l => l.N).Should().NotContain([4, 24],
            "n=24 re-uses n=4's uuid and must not be classified before n=4");
        var retry = await harness.InvokeAsync(shard.Batch(4, 26));
        retry.Succeeded.Should().BeTrue();
        ArchiveAudit.Of(harness.Archive).ShouldBeExactlyOnce(sent);
    }

    [Test]
    public async Task A_lost_claim_response_is_retried_and_the_claims_it_made_stay_with_their_records()
    {
        var (shard, sent) = Stream();
        var harness = new ArchiverHarness();
        harness.Faults.On(SinkOp.Claim, FaultKind.TransientAfterEffect, times: 1);

        var result = await harness.InvokeAsync(shard.Batch(0, 30));

        result.Succeeded.Should().BeTrue();
        result.Result!.EventsWritten.Should().Be(20, "the retry finds its own claims: a redelivered claimant still holds its uuid");
        harness.Claims.ClaimCalls.Should().Be(2);
        ArchiveAudit.Of(harness.Archive).ShouldBeExactlyOnce(sent);
    }

    [Test]
    public async Task Claims_go_in_calls_of_the_stores_size_and_a_uuids_later_copies_ask_in_later_rounds()
    {
        // Shard B archives uuid 0 first; shard A then carries uuids 0..9 once each and uuid 0 three more times.
        var other = new FakeShard("shardId-000000000001");
        other.Add(TestEvents.Bytes(100, TestEvents.Uuid(0)));
        var shard = new FakeShard("shardId-000000000000");
        for (var n = 0; n < 10; n++) shard.Add(TestEvents.Bytes(n, TestEvents.Uuid(n)));
        for (var n = 10; n < 13; n++) shard.Add(TestEvents.Bytes(n, TestEvents.Uuid(0)));
        var harness = new ArchiverHarness(maxClaimsPerCall: 4);
        (await harness.InvokeAsync(other.Batch(0, 1))).Succeeded.Should().BeTrue();

        var result = await harness.InvokeAsync(shard.Batch(0, 13));

        result.Succeeded.Should().BeTrue();
        result.Result!.EventsWritten.Should().Be(9);
        result.Result.DuplicatesWritten.Should().Be(4, "n = 0, 10, 11, 12 each lost uuid 0 to shard B's record");
        harness.Claims.ClaimCalls.Should().Be(1 + 3 + 1 + 1 + 1, "shard B's call, round 1 in calls of 4, 4 and 2, then one call per later copy");
        harness.Claims.ClaimsAttempted.Should().Be(1 + 10 + 3);
        harness.Claims.Claims[TestEvents.Uuid(0)].ClaimedBy.ToString().Should().Be(other.Records[0].EventId);
    }

    [Test]
    public async Task Refusals_from_several_claim_calls_of_a_round_are_decided_by_one_read_of_their_holders()
    {
        // Shard B holds uuids 1, 5 and 8; shard A's batch then claims uuids 0..9 in calls of 4 (three calls in round
        // 1), uuid 1 again in round 2, and its own n = 0 once more: a redelivery, still holding uuid 0.
        var other = new FakeShard("shardId-000000000001");
        foreach (var u in new[] { 1, 5, 8 }) other.Add(TestEvents.Bytes(100 + u, TestEvents.Uuid(u)));
        var shard = new FakeShard("shardId-000000000000");
        for (var n = 0; n < 10; n++) shard.Add(TestEvents.Bytes(n, TestEvents.Uuid(n)));
        shard.Add(TestEvents.Bytes(10, TestEvents.Uuid(1)));
        var harness = new ArchiverHarness(maxClaimsPerCall: 4, refusesWithoutHolder: true);
        (await harness.InvokeAsync(other.Batch(0, 3))).Succeeded.Should().BeTrue();
        (await harness.InvokeAsync(shard.Batch(0, 1))).Succeeded.Should().BeTrue();
        harness.Claims.HolderReads.Clear();

        var result = await harness.InvokeAsync(shard.Batch(0, 11));

        result.Succeeded.Should().BeTrue();
        result.Result!.AlreadyArchived.Should().Be(1, "n = 0 refused, read back as its own claim, and its object exists");
        result.Result.EventsWritten.Should().Be(6);
        result.Result.DuplicatesWritten.Should().Be(4, "n = 1, 5, 8 and 10 lost to shard B's records");
        harness.Claims.HolderReads.Should().Equal([4, 1], "round 1's four refusals from three calls in one read, then round 2's");
        ArchiveAudit.Of(harness.Archive).ShouldBeExactlyOnce(
            [.. Enumerable.Range(0, 10).Select(n => (n, TestEvents.Uuid(n))), (10, TestEvents.Uuid(1)),
             .. new[] { 1, 5, 8 }.Select(u => (100 + u, TestEvents.Uuid(u)))],
            firstOccurrenceWins: false);
    }

    [Test]
    public async Task Copies_of_a_uuid_within_one_batch_keep_the_first_and_claim_it_once()
    {
        var shard = new FakeShard("shardId-000000000000");
        var uuid = TestEvents.Uuid(1);
        for (var n = 0; n < 3; n++) shard.Add(TestEvents.Bytes(n, uuid));
        var harness = new ArchiverHarness();

        var result = await harness.InvokeAsync(shard.Batch(0, 3));

        result.Result!.EventsWritten.Should().Be(1);
        result.Result.DuplicatesWritten.Should().Be(2);
        harness.Claims.ClaimsAttempted.Should().Be(1, "once the first copy holds the uuid the others cannot");
        var audit = ArchiveAudit.Of(harness.Archive);
        audit.Events.Single().N.Should().Be(0);
        audit.Duplicates.Select(l => l.N).Should().BeEquivalentTo([1, 2]);
        harness.Claims.Claims[uuid].ClaimedBy.ToString().Should().Be(shard.Records[0].EventId,
            "the claim records the claiming record's shard and sequence number");
    }

    [Test]
    public async Task A_uuid_seen_in_an_earlier_batch_goes_under_duplicated()
    {
        var shard = new FakeShard("shardId-000000000000");
        shard.Add(TestEvents.Bytes(0, TestEvents.Uuid(7)));
        shard.Add(TestEvents.Bytes(1, TestEvents.Uuid(7), "lesson:started", TestEvents.Day2));
        var harness = new ArchiverHarness();

        await harness.InvokeAsync(shard.Batch(0, 1));
        var later = await harness.InvokeAsync(shard.Batch(1, 1));

        later.Result!.DuplicatesWritten.Should().Be(1);
        later.Result.DuplicateRatePercent.Should().Be(100);
        var audit = ArchiveAudit.Of(harness.Archive);
        audit.Duplicates.Single().Key.Should().StartWith("duplicated/event_type=lesson/created_date=2024-03-02/");
        audit.Events.Single().Key.Should().StartWith("events/event_type=lesson/created_date=2024-03-01/");
    }

    [Test]
    public async Task A_redelivered_record_in_a_new_batch_is_not_a_duplicate()
    {
        var (shard, sent) = Stream(count: 10, distinctUuids: 10);
        var harness = new ArchiverHarness();
        await harness.InvokeAsync(shard.Batch(0, 6));

        var overlap = await harness.InvokeAsync(shard.Batch(3, 7));

        overlap.Result!.AlreadyArchived.Should().Be(3);
        overlap.Result.DuplicatesWritten.Should().Be(0);
        ArchiveAudit.Of(harness.Archive).Duplicates.Should().BeEmpty();
        ArchiveAudit.Of(harness.Archive).ShouldBeExactlyOnce(sent);
    }

    [Test]
    public async Task Near_the_deadline_no_sink_call_starts_and_the_whole_batch_is_reported()
    {
        var (shard, _) = Stream();
        var harness = new ArchiverHarness();
        using var batch = KinesisBatch.From(shard.Batch(0, 30));

        var result = await harness.Processor.ProcessAsync(batch, new CancellationToken(true), CancellationToken.None);

        result.Response.BatchItemFailures.Single().ItemIdentifier.Should().Be(shard.Records[0].Kinesis.SequenceNumber);
        harness.Claims.ClaimsAttempted.Should().Be(0);
        harness.Archive.Puts.Should().Be(0);
    }
}

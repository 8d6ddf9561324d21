using FluentAssertions;
using NUnit.Framework;
using Pipelines.Tests.EventArchiver.Support;

namespace Pipelines.Tests.EventArchiver;

/// <summary>The bad-input corpus (Fixtures/bad-events.json) mixed into one batch with good records.</summary>
public class BadInputTests
{
    [Test]
    public void The_corpus_covers_at_least_twenty_bad_inputs_of_every_kind()
    {
        var corpus = Fixtures.BadEvents();

        corpus.Should().HaveCountGreaterThanOrEqualTo(20);
        corpus.Select(c => c.Reason).Distinct().Should().BeEquivalentTo(
            ["invalid_base64", "invalid_utf8", "not_json", "not_an_object", "missing_field", "empty_field", "wrong_type",
             "invalid_uuid", "invalid_event_name", "invalid_created_at"]);
    }

    [Test]
    public async Task Every_bad_record_is_rejected_with_its_reason_data_and_sequence_number_and_the_rest_is_archived()
    {
        var corpus = Fixtures.BadEvents();
        var shard = new FakeShard("shardId-000000000003");
        var good = new List<(int N, string Uuid)>();
        var expected = new Dictionary<string, (string Name, string Reason, string Data)>();
        for (var i = 0; i < corpus.Count; i++)
        {
            // A good record between every two bad ones: the bad ones must not hold anything back.
            good.Add((i, TestEvents.Uuid(500 + i)));
            shard.Add(TestEvents.Bytes(i, TestEvents.Uuid(500 + i), "lesson:started"));
            var bad = shard.AddBase64(corpus[i].Data);
            expected[bad.Kinesis.SequenceNumber] = (corpus[i].Name, corpus[i].Reason, corpus[i].Data);
        }
        var oversize = shard.Add(new byte[Pipelines.Events.Domain.EventParser.MaxEventBytes + 10]);
        expected[oversize.Kinesis.SequenceNumber] = ("oversize payload", "oversize", oversize.Kinesis.Data);
        var harness = new ArchiverHarness();

        var result = await harness.InvokeAsync(shard.Batch(0, shard.Count));

        result.Succeeded.Should().BeTrue("a record that can never succeed is rejected, not retried");
        result.Result!.Rejected.Should().Be(expected.Count);
        result.Result.EventsWritten.Should().Be(good.Count);
        ArchiveAudit.Of(harness.Archive).ShouldBeExactlyOnce(good);
        var rejected = harness.Rejects.All.ToList();
        rejected.Should().HaveCount(expected.Count);
        foreach (var r in rejected)
        {
            var want = expected[r.Id.SequenceNumber];
            r.Reason.Code.Should().Be(want.Reason, want.Name);
            r.Reason.Detail.Should().NotBeNullOrWhiteSpace();
            r.DataBase64.Should().Be(want.Data, "the original data is kept");
            r.Id.ShardId.Should().Be("shardId-000000000003");
            r.PartitionKey.Should().NotBeEmpty();
        }
        harness.Rejects.Objects.Should().ContainSingle("one rejects object per batch");
    }

    [Test]
    public async Task Rejects_are_rewritten_to_the_same_object_when_the_batch_is_redelivered()
    {
        var shard = new FakeShard("shardId-000000000003");
        shard.Add("not json");
        shard.Add(TestEvents.Json(1, TestEvents.Uuid(1)));
        var harness = new ArchiverHarness();

        await harness.InvokeAsync(shard.Batch(0, 2));
        await harness.InvokeAsync(shard.Batch(0, 2));

        harness.Rejects.Objects.Should().ContainSingle();
    }

    [Test]
    public async Task A_bad_record_after_the_first_failed_one_is_rejected_once_by_the_redelivery()
    {
        var shard = new FakeShard("shardId-000000000003");
        shard.Add(TestEvents.Json(0, TestEvents.Uuid(1)));
        shard.Add("not json");
        shard.Add(TestEvents.Json(2, TestEvents.Uuid(2)));
        shard.Add("[]");
        shard.Add(TestEvents.Json(4, TestEvents.Uuid(3)));
        var harness = new ArchiverHarness();
        harness.Faults.On(SinkOp.Claim, FaultKind.Permanent, when: key => key.Contains(TestEvents.Uuid(2), StringComparison.Ordinal));

        var first = await harness.InvokeAsync(shard.Batch(0, 5));

        first.FailedAt.Should().Be(shard.Records[2].Kinesis.SequenceNumber);
        harness.Rejects.All.Select(r => r.Id.SequenceNumber).Should().Equal(shard.Records[1].Kinesis.SequenceNumber);
        first.Result!.RejectsDeferred.Should().Be(1, "record 3 comes back with the redelivery from record 2");

        var retry = await harness.InvokeAsync(shard.Batch(2, 3));

        retry.Succeeded.Should().BeTrue();
        harness.Rejects.All.Select(r => r.Id.SequenceNumber).Should().BeEquivalentTo(
            [shard.Records[1].Kinesis.SequenceNumber, shard.Records[3].Kinesis.SequenceNumber], "each bad record is stored once");
    }

    [Test]
    public async Task A_failed_rejects_write_is_reported_so_the_bad_record_is_not_lost()
    {
        var shard = new FakeShard("shardId-000000000003");
        shard.Add(TestEvents.Json(0, TestEvents.Uuid(1)));
        shard.Add("not json");
        shard.Add(TestEvents.Json(2, TestEvents.Uuid(2)));
        var harness = new ArchiverHarness();
        harness.Faults.On(SinkOp.WriteRejects, FaultKind.Transient, times: 3);

        var result = await harness.InvokeAsync(shard.Batch(0, 3));

        result.FailedAt.Should().Be(shard.Records[1].Kinesis.SequenceNumber);
        result.Result!.EventsWritten.Should().Be(2, "the good records are archived anyway");
    }
}

using FluentAssertions;
using NUnit.Framework;
using Pipelines.Catalog.Domain;

namespace Pipelines.Tests.CatalogConsolidator.Domain;

public class KeysAndFailuresTests
{
    [TestCase("2024/01/31/acme-1.jsonl", 2024, 1, 31)]
    [TestCase("feeds/eu/2023/12/05/x.jsonl", 2023, 12, 5)]
    [TestCase("9999/99/99/2024/02/29/x.jsonl", 2024, 2, 29)]
    public void Finds_the_date_in_a_source_key(string key, int y, int m, int d) =>
        SourceKeyDate.TryParse(key).Should().Be(new DateOnly(y, m, d));

    [TestCase("acme-1.jsonl")]
    [TestCase("2023/02/29/x.jsonl")]
    [TestCase("20240131/x.jsonl")]
    [TestCase("x2024/01/31/x.jsonl")]
    public void No_date_when_the_key_has_no_valid_yyyy_mm_dd(string key) =>
        SourceKeyDate.TryParse(key).Should().BeNull();

    [Test]
    public void Output_keys_are_hive_partitioned_and_named_from_the_messages()
    {
        var hash = OutputKeys.BatchHash(["m-2", "m-1"]);

        OutputKeys.Output(new DateOnly(2024, 1, 31), 1706659200123000, hash, 2)
            .Should().Be($"year=2024/month=01/day=31/output_object-1706659200123000-{hash}-p0002.jsonl");
        hash.Should().MatchRegex("^[0-9a-f]{16}$");
    }

    [Test]
    public void The_batch_hash_depends_on_which_messages_not_their_order()
    {
        OutputKeys.BatchHash(["a", "b", "c"]).Should().Be(OutputKeys.BatchHash(["c", "a", "b", "a"]));
        OutputKeys.BatchHash(["a", "b"]).Should().NotBe(OutputKeys.BatchHash(["a", "b", "c"]));
    }

    [Test]
    public void Rejected_keys_live_under_rejected_and_are_key_safe()
    {
        OutputKeys.RejectedLines(new DateOnly(2024, 1, 2), "0c3b1a4e-1c3f-4c66-9f0e-7b1f3f5b2e11", 1)
            .Should().Be("rejected/year=2024/month=01/day=02/lines-0c3b1a4e-1c3f-4c66-9f0e-7b1f3f5b2e11-1.jsonl");
        OutputKeys.RejectedMessage(new DateOnly(2024, 1, 2), "a/b c").Should().Be("rejected/year=2024/month=01/day=02/message-a_b_c.jsonl");
    }

    [Test]
    public void A_failed_upload_fails_every_message_it_carried()
    {
        var result = FailurePropagation.Resolve(
        [
            new UploadOutcome([0, 1], Uploaded: false),
            new UploadOutcome([2], Uploaded: true),
        ], []);

        result.FailedMessages.Should().BeEquivalentTo([0, 1]);
        result.FilesToDelete.Should().BeEmpty();
    }

    [Test]
    public void Uploaded_files_sharing_a_failed_message_are_taken_back_and_fail_their_messages_too()
    {
        var result = FailurePropagation.Resolve(
        [
            new UploadOutcome([0], Uploaded: false),
            new UploadOutcome([0, 1], Uploaded: true),
            new UploadOutcome([1, 2], Uploaded: true),
            new UploadOutcome([3], Uploaded: true),
        ], []);

        result.FailedMessages.Should().BeEquivalentTo([0, 1, 2]);
        result.FilesToDelete.Should().Equal(1, 2);
    }

    [Test]
    public void A_message_failed_for_another_reason_also_takes_back_its_files()
    {
        var result = FailurePropagation.Resolve([new UploadOutcome([4, 5], Uploaded: true), new UploadOutcome([6], Uploaded: true)], [5]);

        result.FailedMessages.Should().BeEquivalentTo([4, 5]);
        result.FilesToDelete.Should().Equal(0);
    }
}

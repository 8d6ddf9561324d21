using System.Text;
using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;

namespace Pipelines.Tests.ReviewIngestionProcessor;

public class ReviewBatchProcessorTests
{
    [Test]
    public async Task A_real_batch_stores_valid_reviews_and_rejects_the_invalid_one()
    {
        var harness = new ProcessorHarness();
        var batch = KinesisEvents.Load("reviews-batch.json");

        var outcome = await harness.RunAsync(batch);

        outcome.Response.BatchItemFailures.Should().BeEmpty();
        harness.Dynamo.Items.Keys.Should().BeEquivalentTo("R3QWX9KJ2M7ZQ1", "R1M4KJ8QZ0P2LX", "R2PLM5NB8VC3XZ");
        var reject = harness.Rejects.All.Should().ContainSingle().Subject;
        reject.Reason.Should().Be("star_rating must be from 1 to 5, got 7");
        reject.SourceId.Should().Be(batch.Records[3].Kinesis.SequenceNumber);
        reject.ShardId.Should().Be("shardId-000000000000");
        Encoding.UTF8.GetString(reject.Data.Span).Should().Contain("\"review_id\":\"R7BADRATING001\"");
        (outcome.Received, outcome.Written, outcome.Duplicates, outcome.Rejected, outcome.Failed).Should().Be((5, 3, 1, 1, 0));
    }

    [Test]
    public async Task The_later_record_for_a_review_wins_within_a_batch()
    {
        var harness = new ProcessorHarness();
        var batch = KinesisEvents.Load("reviews-batch.json");

        await harness.RunAsync(batch);

        var item = harness.Dynamo.Items["R3QWX9KJ2M7ZQ1"];
        item["star_rating"].N.Should().Be("4");
        item["source_sequence_number"].S.Should().Be(batch.Records[4].Kinesis.SequenceNumber);
        item["ingestion_timestamp"].S.Should().Be("2023-10-27T10:00:00.967Z");
    }

    [Test]
    public async Task Stored_items_have_dynamodb_types_defaults_and_unknown_fields()
    {
        var harness = new ProcessorHarness();

        await harness.RunAsync(KinesisEvents.Load("reviews-batch.json"));

        var books = harness.Dynamo.Items["R1M4KJ8QZ0P2LX"];
        books["vine"].S.Should().Be("N");
        books["images"].L.Should().ContainSingle().Which.S.Should().Be("https://example.com/r/1.jpg");
        books["helpful_votes"].N.Should().Be("0");
        books["verified_purchase"].BOOL.Should().BeFalse();
        books["review_date"].S.Should().Be("2023-10-28T08:15:30.250+02:00");
        books["source_shard_id"].S.Should().Be("shardId-000000000000");
    }

    [Test]
    public async Task Aws_sample_event_with_plain_text_payloads_is_rejected_record_by_record()
    {
        var harness = new ProcessorHarness();
        var batch = KinesisEvents.Load("aws-sample-kinesis-event.json");

        var outcome = await harness.RunAsync(batch);

        outcome.Response.BatchItemFailures.Should().BeEmpty();
        harness.Dynamo.Items.Should().BeEmpty();
        harness.Rejects.All.Select(r => (r.SourceId, r.ShardId)).Should().Equal(
            (batch.Records[0].Kinesis.SequenceNumber, "shardId-000000000006"),
            (batch.Records[1].Kinesis.SequenceNumber, "shardId-000000000006"));
        harness.Rejects.All.Should().OnlyContain(r => r.Reason.StartsWith("not valid JSON", StringComparison.Ordinal));
        Encoding.UTF8.GetString(harness.Rejects.All.First().Data.Span).Should().Be("Hello, this is a test.");
    }

    [Test]
    public async Task Every_bad_input_in_the_corpus_is_rejected_with_its_reason_while_the_rest_succeeds()
    {
        var harness = new ProcessorHarness();
        var data = new List<string>();
        var expected = new Dictionary<int, BadReviewCorpus.Case>();
        var good = 0;
        foreach (var bad in BadReviewCorpus.All)
        {
            data.Add(Convert.ToBase64String(SampleReviews.Bytes(SampleReviews.Full($"RGOOD{good++:D3}"))));
            expected[data.Count] = bad;
            data.Add(bad.Data);
        }
        var batch = SampleReviews.Events.FromData(data);

        var outcome = await harness.RunAsync(batch);

        outcome.Response.BatchItemFailures.Should().BeEmpty();
        harness.Dynamo.Items.Should().HaveCount(good);
        var rejects = harness.Rejects.All.ToDictionary(r => r.SourceId);
        rejects.Should().HaveCount(expected.Count);
        foreach (var (index, bad) in expected)
        {
            var reject = rejects[KinesisEvents.SequenceNumber(index)];
            reject.Reason.Should().Contain(bad.Reason, bad.Name);
            reject.PartitionKey.Should().Be($"pk-{index}");
        }
        outcome.Rejected.Should().Be(expected.Count);
    }

    [Test]
    public async Task The_original_bytes_are_kept_for_rejected_records_even_when_base64_is_broken()
    {
        var harness = new ProcessorHarness();

        await harness.RunAsync(SampleReviews.Events.FromData(["!!!!", Convert.ToBase64String([0xFF, 0x00, 0x7B])]));

        var rejects = harness.Rejects.All.ToList();
        Encoding.UTF8.GetString(rejects[0].Data.Span).Should().Be("!!!!");
        rejects[1].Data.ToArray().Should().Equal(0xFF, 0x00, 0x7B);
    }

    [Test]
    public async Task The_same_batch_delivered_twice_leaves_an_identical_end_state()
    {
        var harness = new ProcessorHarness();
        var batch = KinesisEvents.Load("reviews-batch.json");

        await harness.RunAsync(batch);
        var table = harness.Dynamo.Dump();
        var rejectObjects = harness.Rejects.Objects.Keys.ToList();
        await harness.RunAsync(KinesisEvents.Load("reviews-batch.json"));

        harness.Dynamo.Dump().Should().Be(table);
        harness.Rejects.Objects.Keys.Should().Equal(rejectObjects);
    }

    [Test]
    public async Task Reviews_are_written_25_per_call_with_bounded_parallel_calls()
    {
        var harness = new ProcessorHarness();
        harness.TunableValues["max_parallel_writes"] = "3";
        var batch = SampleReviews.Events.FromJson(Enumerable.Range(0, 230).Select(i => (JsonNode)SampleReviews.Minimal($"R{i:D5}")));

        var outcome = await harness.RunAsync(batch);

        outcome.Written.Should().Be(230);
        harness.Dynamo.BatchSizes.Should().OnlyContain(s => s <= 25).And.HaveCount(10);
        harness.Dynamo.MaxInFlight.Should().BeInRange(2, 3);
    }

    [Test]
    public async Task Throttling_and_server_errors_are_retried_inside_the_invocation()
    {
        var harness = new ProcessorHarness();
        harness.Dynamo.OnBatch = (call, _) => call switch
        {
            1 => throw ScriptedDynamoDb.Throttled(),
            2 => throw ScriptedDynamoDb.ServerError(),
            _ => [],
        };

        var outcome = await harness.RunAsync(KinesisEvents.Load("reviews-batch.json"));

        outcome.Response.BatchItemFailures.Should().BeEmpty();
        harness.Dynamo.Items.Should().HaveCount(3);
    }

    [Test]
    public async Task Unprocessed_items_are_resent_until_dynamodb_takes_them()
    {
        var harness = new ProcessorHarness();
        harness.Dynamo.OnBatch = (call, keys) => call <= 2 ? keys.Take(2) : [];

        var outcome = await harness.RunAsync(KinesisEvents.Load("reviews-batch.json"));

        outcome.Response.BatchItemFailures.Should().BeEmpty();
        harness.Dynamo.Items.Should().HaveCount(3);
        harness.Dynamo.BatchSizes.Should().Equal(3, 2, 2);
    }

    [Test]
    public async Task Exhausted_retries_report_the_lowest_record_not_stored()
    {
        var harness = new ProcessorHarness();
        harness.TunableValues["max_parallel_writes"] = "1";
        // Review R00030 (record 30, in the second call) is throttled on every attempt.
        harness.Dynamo.OnBatch = (_, keys) => keys.Where(k => k == "R00030");
        var batch = SampleReviews.Events.FromJson(Enumerable.Range(0, 60).Select(i => (JsonNode)SampleReviews.Minimal($"R{i:D5}")));

        var outcome = await harness.RunAsync(batch);

        outcome.Response.BatchItemFailures.Select(f => f.ItemIdentifier).Should().Equal(KinesisEvents.SequenceNumber(30));
        outcome.Failed.Should().Be(1);
        harness.Dynamo.Items.Should().HaveCount(59).And.NotContainKey("R00030");
        harness.Dynamo.BatchSizes.Count(s => s == 1).Should().Be(5, "sink_max_attempts is 6: one full call and five retries of the leftover");
    }

    [Test]
    public async Task A_call_that_always_fails_reports_its_first_record_even_when_later_calls_succeed()
    {
        var harness = new ProcessorHarness();
        harness.Dynamo.OnBatch = (_, keys) => keys.Contains("R00027") ? throw ScriptedDynamoDb.Throttled() : [];
        var batch = SampleReviews.Events.FromJson(Enumerable.Range(0, 80).Select(i => (JsonNode)SampleReviews.Minimal($"R{i:D5}")));

        var outcome = await harness.RunAsync(batch);

        outcome.Response.BatchItemFailures.Select(f => f.ItemIdentifier).Should().Equal(KinesisEvents.SequenceNumber(25));
        outcome.Failed.Should().Be(25);
        harness.Dynamo.Items.Should().HaveCount(55);
    }

    [Test]
    public async Task A_retry_from_the_reported_record_completes_the_same_end_state_as_a_clean_run()
    {
        var batch = SampleReviews.Events.FromJson(Enumerable.Range(0, 60).Select(i => (JsonNode)SampleReviews.Minimal($"R{i % 45:D5}")));
        var clean = new ProcessorHarness();
        await clean.RunAsync(batch);

        var flaky = new ProcessorHarness();
        flaky.Dynamo.OnBatch = (_, keys) => keys.Contains("R00030") ? throw ScriptedDynamoDb.Throttled() : [];
        var first = await flaky.RunAsync(batch);
        var failedAt = batch.Records.FindIndex(r => r.Kinesis.SequenceNumber == first.Response.BatchItemFailures.Single().ItemIdentifier);
        flaky.Dynamo.OnBatch = null;
        var retry = await flaky.RunAsync(KinesisEvents.Slice(batch, failedAt, batch.Records.Count - failedAt));

        retry.Response.BatchItemFailures.Should().BeEmpty();
        flaky.Dynamo.Dump().Should().Be(clean.Dynamo.Dump());
    }

    [Test]
    public async Task Invalid_reviews_after_the_reported_record_are_rejected_once_by_the_retry_not_twice()
    {
        // Records 10 and 45 are invalid; record 30 cannot be stored on the first attempt, so the retry starts there.
        var batch = SampleReviews.Events.FromJson(Enumerable.Range(0, 60).Select(i =>
        {
            var review = SampleReviews.Minimal($"R{i:D5}");
            if (i is 10 or 45) review["star_rating"] = 9;
            return (JsonNode)review;
        }));
        var harness = new ProcessorHarness();
        harness.Dynamo.OnBatch = (_, keys) => keys.Contains("R00030") ? throw ScriptedDynamoDb.Throttled() : [];

        var first = await harness.RunAsync(batch);
        var failedAt = batch.Records.FindIndex(r => r.Kinesis.SequenceNumber == first.Response.BatchItemFailures.Single().ItemIdentifier);
        harness.Rejects.All.Select(r => r.SourceId).Should().Equal(KinesisEvents.SequenceNumber(10));
        first.RejectsDeferred.Should().Be(1, "record 45 is redelivered with the records after record {0}", failedAt);

        harness.Dynamo.OnBatch = null;
        var retry = await harness.RunAsync(KinesisEvents.Slice(batch, failedAt, batch.Records.Count - failedAt));

        retry.Response.BatchItemFailures.Should().BeEmpty();
        harness.Rejects.All.Select(r => r.SourceId).Should().BeEquivalentTo([KinesisEvents.SequenceNumber(10), KinesisEvents.SequenceNumber(45)]);
        harness.Dynamo.Items.Should().HaveCount(58);
    }

    [Test]
    public async Task A_bisected_retry_leaves_the_same_end_state_as_a_clean_run()
    {
        var batch = SampleReviews.Events.FromJson(Enumerable.Range(0, 40).Select(i => (JsonNode)SampleReviews.Minimal($"R{i % 30:D5}")));
        var clean = new ProcessorHarness();
        await clean.RunAsync(batch);

        var bisected = new ProcessorHarness();
        await bisected.RunAsync(batch);
        await bisected.RunAsync(KinesisEvents.Slice(batch, 0, 20));
        await bisected.RunAsync(KinesisEvents.Slice(batch, 20, 20));

        bisected.Dynamo.Dump().Should().Be(clean.Dynamo.Dump());
    }

    [Test]
    public async Task An_item_dynamodb_refuses_is_isolated_and_rejected_while_the_rest_of_its_call_is_stored()
    {
        var harness = new ProcessorHarness();
        harness.Dynamo.IsInvalid = item => item["review_id"].S == "R2PLM5NB8VC3XZ";
        var batch = KinesisEvents.Load("reviews-batch.json");

        var outcome = await harness.RunAsync(batch);

        outcome.Response.BatchItemFailures.Should().BeEmpty();
        harness.Dynamo.Items.Keys.Should().BeEquivalentTo("R3QWX9KJ2M7ZQ1", "R1M4KJ8QZ0P2LX");
        harness.Rejects.All.Should().Contain(r => r.SourceId == batch.Records[2].Kinesis.SequenceNumber
            && r.Reason.StartsWith("DynamoDB refused the item", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_transient_rejects_bucket_failure_is_retried()
    {
        var harness = new ProcessorHarness();
        harness.Rejects.FailuresBeforeSuccess = 2;

        var outcome = await harness.RunAsync(KinesisEvents.Load("reviews-batch.json"));

        outcome.Response.BatchItemFailures.Should().BeEmpty();
        harness.Rejects.Calls.Should().Be(3);
        harness.Rejects.All.Should().ContainSingle();
    }

    [Test]
    public async Task When_rejects_cannot_be_stored_the_first_rejected_record_is_reported()
    {
        var harness = new ProcessorHarness();
        harness.Rejects.FailuresBeforeSuccess = int.MaxValue;
        var batch = KinesisEvents.Load("reviews-batch.json");

        var outcome = await harness.RunAsync(batch);

        outcome.Response.BatchItemFailures.Select(f => f.ItemIdentifier).Should().Equal(batch.Records[3].Kinesis.SequenceNumber);
        harness.Rejects.Calls.Should().Be(6);
    }

    [Test]
    public async Task Reject_objects_are_named_by_shard_and_first_rejected_sequence_number()
    {
        var harness = new ProcessorHarness();
        var batch = KinesisEvents.Load("reviews-batch.json");

        var outcome = await harness.RunAsync(batch);

        outcome.RejectObjectName.Should().MatchRegex($"^shardId-000000000000/{batch.Records[3].Kinesis.SequenceNumber}-[0-9a-f]{{32}}\\.jsonl$");
    }
}

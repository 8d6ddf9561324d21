using System.Text;
using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;

namespace Pipelines.Tests.CountyAggregator;

public class CountyBatchProcessorTests
{
    [Test]
    public async Task A_real_batch_is_counted_per_trimmed_county_and_the_blank_county_row_rejected()
    {
        var harness = new CountyHarness();
        var batch = KinesisEvents.Load("counties-batch.json");

        var outcome = await harness.RunAsync(batch);

        outcome.Response.BatchItemFailures.Should().BeEmpty();
        harness.Table.Totals().Should().Equal(new SortedDictionary<string, int>(StringComparer.Ordinal)
        {
            ["Delaware"] = 2, ["Essex"] = 1, ["Sullivan"] = 3, ["Ulster"] = 1,
        });
        var reject = harness.Rejects.All.Should().ContainSingle().Subject;
        reject.Reason.Should().Be("County is empty");
        reject.SourceId.Should().Be(batch.Records[5].Kinesis.SequenceNumber);
        Encoding.UTF8.GetString(reject.Data.Span).Should().Contain("Unnamed tributary");
        (outcome.Received, outcome.Counted, outcome.Rejected, outcome.Failed).Should().Be((8, 7, 1, 0));
    }

    [Test]
    public async Task Each_item_has_the_county_key_a_time_sortable_batch_id_timestamp_and_count()
    {
        var harness = new CountyHarness();
        var batch = KinesisEvents.Load("counties-batch.json");

        await harness.RunAsync(batch);

        var sullivan = harness.Table.Items.Values.Single(i => i["County"].S == "Sullivan");
        sullivan["Count"].N.Should().Be("3");
        sullivan["BatchId"].S.Should().Be($"2024-05-01T12:00:00.650Z#shardId-000000000001#{batch.Records[4].Kinesis.SequenceNumber}");
        sullivan["Timestamp"].S.Should().Be("2024-05-01T12:00:00.650Z");
        sullivan["ShardId"].S.Should().Be("shardId-000000000001");
        sullivan["FirstSequenceNumber"].S.Should().Be(batch.Records[4].Kinesis.SequenceNumber);
        sullivan["LastSequenceNumber"].S.Should().Be(batch.Records[7].Kinesis.SequenceNumber);
    }

    [Test]
    public async Task Aws_sample_event_with_plain_text_payloads_is_rejected_and_nothing_counted()
    {
        var harness = new CountyHarness();

        var outcome = await harness.RunAsync(KinesisEvents.Load("aws-sample-kinesis-event.json"));

        outcome.Response.BatchItemFailures.Should().BeEmpty();
        harness.Table.Items.Should().BeEmpty();
        harness.Rejects.All.Should().HaveCount(2).And.OnlyContain(r => r.Reason.StartsWith("not valid JSON", StringComparison.Ordinal));
    }

    [Test]
    public async Task Every_bad_input_in_the_corpus_is_rejected_with_its_reason_while_the_rest_is_counted()
    {
        var harness = new CountyHarness();
        var data = new List<string>();
        var expected = new Dictionary<int, BadCountyCorpus.Case>();
        foreach (var bad in BadCountyCorpus.All)
        {
            data.Add(Convert.ToBase64String(SampleRows.Bytes(SampleRows.Row("Hamilton"))));
            expected[data.Count] = bad;
            data.Add(bad.Data);
        }

        var outcome = await harness.RunAsync(SampleRows.Events.FromData(data));

        outcome.Response.BatchItemFailures.Should().BeEmpty();
        harness.Table.Totals().Should().Equal(new SortedDictionary<string, int>(StringComparer.Ordinal) { ["Hamilton"] = expected.Count });
        var rejects = harness.Rejects.All.ToDictionary(r => r.SourceId);
        rejects.Should().HaveCount(expected.Count);
        foreach (var (index, bad) in expected)
            rejects[KinesisEvents.SequenceNumber(index)].Reason.Should().Contain(bad.Reason, bad.Name);
    }

    [Test]
    public async Task The_same_batch_delivered_twice_does_not_double_count()
    {
        var harness = new CountyHarness();

        await harness.RunAsync(KinesisEvents.Load("counties-batch.json"));
        var once = harness.Table.Dump();
        await harness.RunAsync(KinesisEvents.Load("counties-batch.json"));

        harness.Table.Dump().Should().Be(once);
        harness.Table.Totals().Values.Sum().Should().Be(7);
    }

    [Test]
    public async Task Throttling_server_errors_and_unprocessed_items_are_retried_inside_the_invocation()
    {
        var harness = new CountyHarness();
        harness.Table.OnBatch = (call, counties) => call switch
        {
            1 => throw CountyHarnessErrors.Throttled,
            2 => throw ScriptedCountsTable.ServerError(),
            3 => counties.Take(2),
            _ => [],
        };

        var outcome = await harness.RunAsync(KinesisEvents.Load("counties-batch.json"));

        outcome.Response.BatchItemFailures.Should().BeEmpty();
        harness.Table.Totals().Values.Sum().Should().Be(7);
        harness.Table.BatchSizes.Should().Equal(4, 4, 4, 2);
    }

    [Test]
    public async Task Exhausted_retries_report_the_batch_first_record_and_the_retry_fixes_the_counts()
    {
        var harness = new CountyHarness();
        var batch = ManyCounties(60);
        var failing = true;
        harness.Table.OnBatch = (_, counties) => failing && counties.Contains("County 40") ? ["County 40"] : [];

        var first = await harness.RunAsync(batch);
        failing = false;
        var retry = await harness.RunAsync(batch);

        first.Response.BatchItemFailures.Select(f => f.ItemIdentifier).Should().Equal(batch.Records[0].Kinesis.SequenceNumber);
        first.Failed.Should().Be(batch.Records.Count);
        retry.Response.BatchItemFailures.Should().BeEmpty();
        harness.Table.Totals().Values.Sum().Should().Be(batch.Records.Count);
    }

    [Test]
    public async Task A_bisected_retry_after_a_partly_written_attempt_keeps_sums_exact()
    {
        var harness = new CountyHarness();
        var batch = ManyCounties(90);
        var failing = true;
        // The second call of the full batch is throttled to exhaustion: its first call's items stay in the table.
        harness.Table.OnBatch = (call, _) => failing && call > 1 ? throw CountyHarnessErrors.Throttled : [];

        await harness.RunAsync(batch);
        failing = false;
        await harness.RunAsync(KinesisEvents.Slice(batch, 0, 45));
        await harness.RunAsync(KinesisEvents.Slice(batch, 45, 45));

        harness.Table.Totals().Should().Equal(ExpectedTotals(batch));
    }

    [Test]
    public async Task A_larger_retry_from_the_same_first_record_keeps_sums_exact()
    {
        var harness = new CountyHarness();
        var batch = ManyCounties(80);

        await harness.RunAsync(KinesisEvents.Slice(batch, 0, 30));
        await harness.RunAsync(batch);

        harness.Table.Totals().Should().Equal(ExpectedTotals(batch));
    }

    [Test]
    public async Task When_rejects_cannot_be_stored_the_batch_is_retried_whole_and_nothing_is_counted()
    {
        var harness = new CountyHarness();
        harness.Rejects.FailuresBeforeSuccess = int.MaxValue;
        var batch = KinesisEvents.Load("counties-batch.json");

        var outcome = await harness.RunAsync(batch);

        outcome.Response.BatchItemFailures.Select(f => f.ItemIdentifier).Should().Equal(batch.Records[0].Kinesis.SequenceNumber);
        harness.Table.Items.Should().BeEmpty();
        harness.Rejects.Calls.Should().Be(6);
    }

    [Test]
    public async Task A_county_spelled_with_escapes_or_padding_is_one_item_named_by_its_first_row()
    {
        var harness = new CountyHarness();
        string[] spellings = ["Delaware", "\\u0044elaware", " Delaware\\t", "Ulster", "Delaware"];
        var batch = SampleRows.Events.FromData(spellings.Select(county =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{{\"County\":\"{county}\",\"timestamp\":\"2024-05-01T12:00:00Z\"}}"))));

        await harness.RunAsync(batch);

        var delaware = harness.Table.Items.Values.Single(i => i["County"].S == "Delaware");
        delaware["Count"].N.Should().Be("4");
        delaware["FirstSequenceNumber"].S.Should().Be(batch.Records[0].Kinesis.SequenceNumber);
        delaware["LastSequenceNumber"].S.Should().Be(batch.Records[4].Kinesis.SequenceNumber);
        harness.Table.Totals().Should().Equal(new SortedDictionary<string, int>(StringComparer.Ordinal) { ["Delaware"] = 4, ["Ulster"] = 1 });
    }

    [Test]
    public async Task Consecutive_batches_through_one_processor_are_counted_independently()
    {
        var harness = new CountyHarness();
        var batch = ManyCounties(60);

        await harness.RunAsync(KinesisEvents.Slice(batch, 0, 20));
        await harness.RunAsync(KinesisEvents.Slice(batch, 20, 40));

        harness.Table.Totals().Should().Equal(ExpectedTotals(batch));
        harness.Table.Items.Values.Select(i => i["BatchId"].S).Should().OnlyHaveUniqueItems();
    }

    internal static Pipelines.Shared.Events.KinesisEvent ManyCounties(int rows) =>
        SampleRows.Events.FromJson(Enumerable.Range(0, rows).Select(i => (JsonNode)SampleRows.Row($"County {(i * 7) % 50}")));

    private static SortedDictionary<string, int> ExpectedTotals(Pipelines.Shared.Events.KinesisEvent batch) =>
        new(batch.Records
            .Select(r => JsonNode.Parse(Convert.FromBase64String(r.Kinesis.Data))!["County"]!.GetValue<string>())
            .GroupBy(c => c).ToDictionary(g => g.Key, g => g.Count()), StringComparer.Ordinal);
}

internal static class CountyHarnessErrors
{
    public static Amazon.DynamoDBv2.AmazonDynamoDBException Throttled => ScriptedCountsTable.Throttled();
}

using System.Text;
using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Orders.Cdc;
using Pipelines.Orders.Cdc.Publishing;
using Pipelines.Shared.Configuration;
using Pipelines.Shared.Events;
using Pipelines.Shared.Observability;
using Pipelines.Shared.Runtime;
using Pipelines.Tests.OrdersCdcPublisher.Support;

namespace Pipelines.Tests.OrdersCdcPublisher;

/// <summary>The handler end to end against a loopback Kinesis that fails chosen PutRecords entries.</summary>
public class PublisherHandlerTests
{
    private const string OrderA = "0f8fad5b-d9cb-469f-a165-70867728950e";
    private const string OrderB = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
    private const string Throttled = "ProvisionedThroughputExceededException";

    private FakeKinesis _kinesis = null!;
    private MemoryRejects _rejects = null!;
    private CapturedTelemetryOutput _telemetry = null!;
    private IDisposable _telemetryScope = null!;

    [SetUp]
    public async Task Start()
    {
        _kinesis = await FakeKinesis.StartAsync();
        _rejects = new MemoryRejects();
        _telemetry = new CapturedTelemetryOutput();
        _telemetryScope = TelemetryOutput.Use(_telemetry);
        Metrics.Reset();
    }

    [TearDown]
    public async Task Stop()
    {
        _telemetryScope.Dispose();
        await _kinesis.DisposeAsync();
    }

    private CdcPublisherHandler Handler(int maxAttempts = 6) => new(
        new KinesisRecordSink(_kinesis.Client(), "kinesis-for-sales-data"),
        _rejects,
        Tunables.FromValues(new Dictionary<string, string> { ["sink_max_attempts"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
        (_, _) => Task.CompletedTask);

    /// <summary>Invokes the handler with raw event JSON, as the runtime does; returns the decoded batch response.</summary>
    private static async Task<BatchResponse> Invoke(CdcPublisherHandler handler, string eventJson)
    {
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(eventJson));
        using var output = new MemoryStream();
        await handler.HandleAsync(input, output, new LambdaContext { AwsRequestId = "r1", Deadline = DateTimeOffset.UtcNow.AddMinutes(1) }, CancellationToken.None);
        return JsonSerializer.Deserialize(output.ToArray(), EventJsonContext.Default.BatchResponse)!;
    }

    private double Metric(string name)
    {
        Metrics.Flush();
        return _telemetry.Lines.Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.TryGetProperty("_aws", out _) && e.TryGetProperty(name, out _))
            .Sum(e => e.GetProperty(name).GetDouble());
    }

    /// <summary>A stream event with several changes per order: A inserted, B inserted, A modified, B modified, A removed, B TTL-removed.</summary>
    private static string InterleavedEvent()
    {
        var source = Fixtures.StreamEvent("orders-stream-event.json").Records;
        DynamoDBStreamRecord Copy(int index, string orderId, string sequence)
        {
            var json = JsonSerializer.Serialize(source[index], EventJsonContext.Default.DynamoDBStreamRecord)
                .Replace(OrderA, orderId, StringComparison.Ordinal).Replace(OrderB, orderId, StringComparison.Ordinal);
            var record = JsonSerializer.Deserialize(json, EventJsonContext.Default.DynamoDBStreamRecord)!;
            record.Dynamodb.SequenceNumber = sequence;
            return record;
        }
        var evt = new DynamoDBEvent
        {
            Records =
            [
                Copy(0, OrderA, "100000000000000000001"), Copy(0, OrderB, "100000000000000000002"),
                Copy(1, OrderA, "100000000000000000003"), Copy(1, OrderB, "100000000000000000004"),
                Copy(2, OrderA, "100000000000000000005"), Copy(3, OrderB, "100000000000000000006"),
            ],
        };
        return JsonSerializer.Serialize(evt, EventJsonContext.Default.DynamoDBEvent);
    }

    private static string Sequence(string json) => JsonDocument.Parse(json).RootElement.GetProperty("cdc_sequence_number").GetString()!;

    [Test]
    public async Task Publishes_every_event_type_with_orderid_as_partition_key()
    {
        var response = await Invoke(Handler(), Fixtures.Text("orders-stream-event.json"));

        response.BatchItemFailures.Should().BeEmpty();
        _kinesis.Written.Select(w => w.PartitionKey).Should().Equal(OrderA, OrderB, OrderA, OrderA);
        var byType = _kinesis.Written.Select(w => JsonDocument.Parse(w.Json).RootElement).ToList();
        byType.Select(r => r.GetProperty("cdc_event_type").GetString()).Should().BeEquivalentTo(["INSERT", "MODIFY", "REMOVE", "REMOVE"]);
        byType.Single(r => r.GetProperty("cdc_sequence_number").GetString() == "1400000000000136137200")
            .GetProperty("cdc_ttl_expired").GetBoolean().Should().BeTrue();
        _kinesis.Written.Where(w => w.PartitionKey == OrderA).Select(w => w.SequenceNumber)
            .Should().Equal("1100000000000136137170", "1200000000000136137180", "1300000000000136137190");
        Metric("RecordsReceived").Should().Be(4);
        Metric("RecordsWritten").Should().Be(4);
    }

    [Test]
    public async Task Throttled_entries_are_retried_alone_and_no_later_change_overtakes_them()
    {
        // A's INSERT is throttled on its first two sends; B's MODIFY fails once with an internal failure.
        var attempts = new Dictionary<string, int>();
        _kinesis.FailEntry = (_, json) =>
        {
            var seq = Sequence(json);
            attempts[seq] = attempts.GetValueOrDefault(seq) + 1;
            return (seq, attempts[seq]) switch
            {
                ("100000000000000000001", <= 2) => Throttled,
                ("100000000000000000004", 1) => "InternalFailure",
                _ => null,
            };
        };

        var response = await Invoke(Handler(), InterleavedEvent());

        response.BatchItemFailures.Should().BeEmpty();
        _kinesis.Written.Where(w => w.PartitionKey == OrderA).Select(w => w.SequenceNumber)
            .Should().Equal("100000000000000000001", "100000000000000000003", "100000000000000000005");
        _kinesis.Written.Where(w => w.PartitionKey == OrderB).Select(w => w.SequenceNumber)
            .Should().Equal("100000000000000000002", "100000000000000000004", "100000000000000000006");
        _kinesis.Written.Should().HaveCount(6, "nothing is written twice within an invocation");
        attempts.Where(a => a.Key != "100000000000000000001" && a.Key != "100000000000000000004").Should().OnlyContain(a => a.Value == 1, "only failed entries are re-sent");
        Metric("PutRecordsRetries").Should().Be(3);
        Metric("RecordsWritten").Should().Be(6);
    }

    [Test]
    public async Task Exhausted_retries_report_the_first_unsent_record_and_hold_back_that_orders_later_changes()
    {
        // B's MODIFY (position 3) never gets through.
        _kinesis.FailEntry = (_, json) => Sequence(json) == "100000000000000000004" ? Throttled : null;

        var response = await Invoke(Handler(maxAttempts: 3), InterleavedEvent());

        response.BatchItemFailures.Select(f => f.ItemIdentifier).Should().Equal("100000000000000000004");
        _kinesis.Written.Where(w => w.PartitionKey == OrderB).Select(w => w.SequenceNumber)
            .Should().Equal(["100000000000000000002"], "B's TTL delete must wait behind its failed MODIFY");
        _kinesis.Written.Where(w => w.PartitionKey == OrderA).Should().HaveCount(3, "other orders are not held back");
        Metric("BatchItemFailures").Should().Be(1);
    }

    [Test]
    public async Task A_later_retry_of_the_same_batch_completes_it_with_duplicates_only_after_the_checkpoint()
    {
        var failing = true;
        _kinesis.FailEntry = (_, json) => failing && Sequence(json) == "100000000000000000004" ? Throttled : null;
        var first = await Invoke(Handler(maxAttempts: 2), InterleavedEvent());
        var checkpoint = first.BatchItemFailures.Single().ItemIdentifier;

        // Lambda re-delivers from the reported record onward.
        failing = false;
        var redelivered = JsonSerializer.Deserialize(InterleavedEvent(), EventJsonContext.Default.DynamoDBEvent)!;
        redelivered.Records = redelivered.Records.SkipWhile(r => r.Dynamodb.SequenceNumber != checkpoint).ToList();
        var second = await Invoke(Handler(), JsonSerializer.Serialize(redelivered, EventJsonContext.Default.DynamoDBEvent));

        second.BatchItemFailures.Should().BeEmpty();
        var seen = _kinesis.Written.Select(w => w.SequenceNumber).ToList();
        seen.Distinct().Should().HaveCount(6, "every change reached the stream");
        seen.GroupBy(s => s).Where(g => g.Count() > 1).Select(g => g.Key)
            .Should().OnlyContain(s => string.CompareOrdinal(s, checkpoint) > 0, "only records after the checkpoint can repeat");
        foreach (var key in new[] { OrderA, OrderB })
        {
            var firstSeen = _kinesis.Written.Where(w => w.PartitionKey == key).Select(w => w.SequenceNumber).Distinct().ToList();
            firstSeen.Should().BeInAscendingOrder(StringComparer.Ordinal, "deduplicated on cdc_sequence_number, each order reads in order");
        }
    }

    [Test]
    public async Task A_fatal_put_records_error_reports_the_first_record()
    {
        _kinesis.FailCall = _ => (400, "ResourceNotFoundException");

        var response = await Invoke(Handler(), InterleavedEvent());

        response.BatchItemFailures.Select(f => f.ItemIdentifier).Should().Equal("100000000000000000001");
        _kinesis.CallSizes.Should().ContainSingle("a missing stream is not retried");
    }

    [Test]
    public async Task A_throttled_call_is_retried()
    {
        _kinesis.FailCall = call => call == 0 ? (400, "ProvisionedThroughputExceededException") : null;

        var response = await Invoke(Handler(), InterleavedEvent());

        response.BatchItemFailures.Should().BeEmpty();
        _kinesis.Written.Should().HaveCount(6);
    }

    [Test]
    public async Task Records_that_can_never_be_published_are_rejected_and_skipped()
    {
        var evt = Fixtures.StreamEvent("orders-stream-event.json");
        evt.Records.Insert(1, Fixtures.Record("dynamodb-stream-aws-sample.json", 0)); // no orderid
        evt.Records[3].EventName = "UPSERT";

        var response = await Invoke(Handler(), JsonSerializer.Serialize(evt, EventJsonContext.Default.DynamoDBEvent));

        response.BatchItemFailures.Should().BeEmpty();
        _kinesis.Written.Select(w => w.SequenceNumber).Should().BeEquivalentTo(["1100000000000136137170", "1200000000000136137180", "1400000000000136137200"]);
        _rejects.Records.Select(r => (r.SourceId, r.Reason)).Should().Equal(
            ("111", "no orderid (type S) in Keys or the item image"),
            ("1300000000000136137190", "unknown eventName 'UPSERT'"));
        var original = JsonDocument.Parse(_rejects.Records[1].Data).RootElement;
        original.GetProperty("eventName").GetString().Should().Be("UPSERT");
        original.GetProperty("dynamodb").GetProperty("OldImage").GetProperty("orderid").GetProperty("S").GetString().Should().Be(OrderA);
        _rejects.Records[1].PartitionKey.Should().Be(OrderA);
        Metric("RecordsRejected").Should().Be(2);
    }

    [Test]
    public async Task When_rejects_cannot_be_stored_the_batch_is_redelivered_from_the_first_rejected_record()
    {
        _rejects.Unavailable = true;
        var evt = Fixtures.StreamEvent("orders-stream-event.json");
        evt.Records[2].EventName = "UPSERT";

        var response = await Invoke(Handler(), JsonSerializer.Serialize(evt, EventJsonContext.Default.DynamoDBEvent));

        response.BatchItemFailures.Select(f => f.ItemIdentifier).Should().Equal("1300000000000136137190");
        _rejects.Records.Should().BeEmpty();
    }

    [Test]
    public async Task A_reject_after_the_first_unsent_record_is_stored_once_by_the_redelivery()
    {
        var evt = JsonSerializer.Deserialize(InterleavedEvent(), EventJsonContext.Default.DynamoDBEvent)!;
        evt.Records[1].EventName = "UPSERT"; // before the record that fails
        evt.Records[4].EventName = "UPSERT"; // after it
        var eventJson = JsonSerializer.Serialize(evt, EventJsonContext.Default.DynamoDBEvent);
        var failing = true;
        _kinesis.FailEntry = (_, json) => failing && Sequence(json) == "100000000000000000003" ? Throttled : null;

        var first = await Invoke(Handler(maxAttempts: 2), eventJson);
        var checkpoint = first.BatchItemFailures.Single().ItemIdentifier;
        checkpoint.Should().Be("100000000000000000003");
        _rejects.Records.Select(r => r.SourceId).Should().Equal("100000000000000000002");

        failing = false;
        var redelivered = JsonSerializer.Deserialize(eventJson, EventJsonContext.Default.DynamoDBEvent)!;
        redelivered.Records = redelivered.Records.SkipWhile(r => r.Dynamodb.SequenceNumber != checkpoint).ToList();
        var second = await Invoke(Handler(), JsonSerializer.Serialize(redelivered, EventJsonContext.Default.DynamoDBEvent));

        second.BatchItemFailures.Should().BeEmpty();
        _rejects.Records.Select(r => r.SourceId).Should().Equal("100000000000000000002", "100000000000000000005");
    }

    [Test]
    public async Task Calls_carry_at_most_500_records()
    {
        var template = Fixtures.Record("orders-stream-event.json", 0);
        var evt = new DynamoDBEvent();
        for (var i = 0; i < 1100; i++)
        {
            var json = JsonSerializer.Serialize(template, EventJsonContext.Default.DynamoDBStreamRecord).Replace(OrderA, $"order-{i:D5}", StringComparison.Ordinal);
            var record = JsonSerializer.Deserialize(json, EventJsonContext.Default.DynamoDBStreamRecord)!;
            record.Dynamodb.SequenceNumber = $"2{i:D20}";
            evt.Records.Add(record);
        }

        var response = await Invoke(Handler(), JsonSerializer.Serialize(evt, EventJsonContext.Default.DynamoDBEvent));

        response.BatchItemFailures.Should().BeEmpty();
        _kinesis.CallSizes.Should().Equal(500, 500, 100);
        _kinesis.Written.Select(w => w.SequenceNumber).Should().BeInAscendingOrder(StringComparer.Ordinal);
    }
}

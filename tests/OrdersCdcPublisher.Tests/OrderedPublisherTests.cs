using System.Text;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Orders.Cdc.Publishing;

namespace Pipelines.Tests.OrdersCdcPublisher;

public class OrderedPublisherTests
{
    /// <summary>A stream stand-in: fails entries the test picks, records what reached the stream in order.</summary>
    private sealed class ScriptedSink : IRecordBatchSink
    {
        public List<List<OutgoingRecord>> Calls { get; } = [];
        public List<OutgoingRecord> Written { get; } = [];
        /// <summary>(call number, position) -> error code; call numbers start at 0.</summary>
        public Func<int, OutgoingRecord, string?> Fail { get; set; } = (_, _) => null;
        public Func<int, Exception?> Throw { get; set; } = _ => null;

        public Task<IReadOnlyList<string?>> PutAsync(IReadOnlyList<OutgoingRecord> records, CancellationToken cancellationToken)
        {
            var call = Calls.Count;
            Calls.Add([.. records]);
            if (Throw(call) is { } e) throw e;
            var errors = records.Select(r => Fail(call, r)).ToList();
            Written.AddRange(records.Where((_, i) => errors[i] is null));
            return Task.FromResult<IReadOnlyList<string?>>(errors);
        }
    }

    private readonly List<TimeSpan> _delays = [];

    [SetUp]
    public void ClearDelays() => _delays.Clear(); // NUnit shares one fixture instance across its tests

    private OrderedPublisher Publisher(ScriptedSink sink, PublishOptions? options = null, Func<TimeSpan>? remaining = null) =>
        new(sink, options ?? new PublishOptions(), e => e is TimeoutException,
            (d, _) => { _delays.Add(d); return Task.CompletedTask; },
            remaining ?? (() => TimeSpan.FromMinutes(1)));

    private static OutgoingRecord Rec(int position, string key, int size = 10) =>
        new(position, key, Encoding.UTF8.GetBytes(new string('d', size)));

    [Test]
    public void Request_bytes_count_data_and_utf8_partition_key()
    {
        Rec(0, "ключ", size: 100).RequestBytes.Should().Be(108);
    }

    [Test]
    public async Task Distinct_orders_go_out_in_one_call_in_stream_order()
    {
        var sink = new ScriptedSink();
        var records = Enumerable.Range(0, 100).Select(i => Rec(i, $"order-{i}")).ToList();

        var outcome = await Publisher(sink).PublishAsync(records, CancellationToken.None);

        outcome.Should().Be(new PublishOutcome(100, 0, null, null));
        sink.Calls.Should().ContainSingle();
        sink.Written.Select(r => r.Position).Should().Equal(Enumerable.Range(0, 100));
        _delays.Should().BeEmpty();
    }

    [Test]
    public async Task Calls_are_chunked_at_500_records()
    {
        var sink = new ScriptedSink();
        var records = Enumerable.Range(0, 1201).Select(i => Rec(i, $"order-{i}")).ToList();

        var outcome = await Publisher(sink).PublishAsync(records, CancellationToken.None);

        outcome.Published.Should().Be(1201);
        sink.Calls.Select(c => c.Count).Should().Equal(500, 500, 201);
    }

    [Test]
    public async Task Calls_are_chunked_at_5_mib_counting_data_and_partition_keys()
    {
        var sink = new ScriptedSink();
        // 1,000,000 data bytes + 7 key bytes each: five fit in 5 MiB (5,242,880), the sixth does not.
        var records = Enumerable.Range(0, 12).Select(i => Rec(i, $"order{i % 10}{i / 10}", 1_000_000)).ToList();

        await Publisher(sink).PublishAsync(records, CancellationToken.None);

        sink.Calls.Select(c => c.Count).Should().Equal(5, 5, 2);
        sink.Calls.Should().OnlyContain(c => c.Sum(r => r.RequestBytes) <= 5 * 1024 * 1024);
    }

    [Test]
    public async Task Changes_of_one_order_are_never_in_the_same_call()
    {
        var sink = new ScriptedSink();
        var records = new[] { Rec(0, "A"), Rec(1, "B"), Rec(2, "A"), Rec(3, "A"), Rec(4, "C") };

        await Publisher(sink).PublishAsync(records, CancellationToken.None);

        sink.Calls.Select(c => c.Select(r => r.Position)).Should().BeEquivalentTo(
            new[] { new[] { 0, 1, 4 }, [2], [3] }, o => o.WithStrictOrdering());
        sink.Written.Where(r => r.PartitionKey == "A").Select(r => r.Position).Should().Equal(0, 2, 3);
    }

    [Test]
    public async Task Only_failed_entries_are_retried_and_a_later_change_never_overtakes_a_failed_one()
    {
        var sink = new ScriptedSink
        {
            // A's first change fails twice (throttled), B's fails once (internal failure).
            Fail = (call, r) => (call, r.Position) switch
            {
                (0, 0) or (1, 0) => "ProvisionedThroughputExceededException",
                (0, 1) => "InternalFailure",
                _ => null,
            },
        };
        var records = new[] { Rec(0, "A"), Rec(1, "B"), Rec(2, "A"), Rec(3, "C"), Rec(4, "B") };

        var outcome = await Publisher(sink).PublishAsync(records, CancellationToken.None);

        outcome.Should().Be(new PublishOutcome(5, 3, null, null));
        sink.Calls[0].Select(r => r.Position).Should().Equal(0, 1, 3);
        sink.Calls[1].Select(r => r.Position).Should().Equal([0, 1], "only the failed entries and nothing of their orders");
        // Per order, the stream holds the changes in stream order.
        foreach (var key in new[] { "A", "B", "C" })
        {
            var positions = sink.Written.Where(r => r.PartitionKey == key).Select(r => r.Position).ToList();
            positions.Should().BeInAscendingOrder($"order {key} must not be reordered");
        }
        sink.Written.Select(r => r.Position).Should().BeEquivalentTo([0, 1, 2, 3, 4]);
        _delays.Should().HaveCount(2, "one backoff after each round with failures");
    }

    [Test]
    public async Task Exhausted_retries_report_the_first_unsent_position()
    {
        var sink = new ScriptedSink { Fail = (_, r) => r.Position == 3 ? "ProvisionedThroughputExceededException" : null };
        var records = Enumerable.Range(0, 8).Select(i => Rec(i, i == 6 ? "K3" : $"K{i}")).ToList();

        var outcome = await Publisher(sink, new PublishOptions { MaxAttempts = 4 }).PublishAsync(records, CancellationToken.None);

        outcome.FirstUnsentPosition.Should().Be(3);
        outcome.GaveUpReason.Should().Contain("position 3 failed 4 times").And.Contain("ProvisionedThroughputExceededException");
        sink.Calls.Count(c => c.Any(r => r.Position == 3)).Should().Be(4);
        sink.Written.Should().NotContain(r => r.Position == 6, "K3's later change waits behind the failed one");
        outcome.Published.Should().Be(6);
    }

    [Test]
    public async Task The_first_unsent_position_is_the_lowest_across_all_orders()
    {
        // Position 1 keeps failing; position 5 is held back behind position 2 which also keeps failing.
        var sink = new ScriptedSink { Fail = (_, r) => r.Position is 1 or 2 ? "InternalFailure" : null };
        var records = new[] { Rec(0, "A"), Rec(1, "B"), Rec(2, "C"), Rec(3, "D"), Rec(4, "B"), Rec(5, "C") };

        var outcome = await Publisher(sink, new PublishOptions { MaxAttempts = 2 }).PublishAsync(records, CancellationToken.None);

        outcome.FirstUnsentPosition.Should().Be(1);
        sink.Written.Select(r => r.Position).Should().Equal(0, 3);
    }

    [Test]
    public async Task A_transient_whole_call_failure_retries_the_call()
    {
        var sink = new ScriptedSink { Throw = call => call == 0 ? new TimeoutException("read timed out") : null };
        var records = new[] { Rec(0, "A"), Rec(1, "B") };

        var outcome = await Publisher(sink).PublishAsync(records, CancellationToken.None);

        outcome.Should().Be(new PublishOutcome(2, 2, null, null));
        sink.Calls.Should().HaveCount(2);
    }

    [Test]
    public async Task A_fatal_whole_call_failure_stops_at_once()
    {
        var sink = new ScriptedSink { Throw = _ => new InvalidOperationException("stream kinesis-for-sales-data not found") };
        var records = new[] { Rec(0, "A"), Rec(1, "B") };

        var outcome = await Publisher(sink).PublishAsync(records, CancellationToken.None);

        outcome.FirstUnsentPosition.Should().Be(0);
        outcome.GaveUpReason.Should().Contain("not found");
        sink.Calls.Should().ContainSingle();
    }

    [Test]
    public async Task Near_the_deadline_it_stops_instead_of_timing_out()
    {
        var sink = new ScriptedSink { Fail = (call, r) => call == 0 && r.Position == 1 ? "InternalFailure" : null };
        var remaining = new Queue<TimeSpan>([TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(2)]);
        var records = new[] { Rec(0, "A"), Rec(1, "B"), Rec(2, "C") };

        var outcome = await Publisher(sink, remaining: () => remaining.Dequeue()).PublishAsync(records, CancellationToken.None);

        outcome.FirstUnsentPosition.Should().Be(1);
        outcome.GaveUpReason.Should().Contain("deadline");
        outcome.Published.Should().Be(2);
    }

    [Test]
    public async Task Backoff_grows_and_stays_under_the_cap()
    {
        var sink = new ScriptedSink { Fail = (_, _) => "InternalFailure" };
        var options = new PublishOptions { MaxAttempts = 8, BaseDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromMilliseconds(400) };

        await Publisher(sink, options).PublishAsync([Rec(0, "A")], CancellationToken.None);

        _delays.Should().HaveCount(7);
        _delays.Should().OnlyContain(d => d >= TimeSpan.Zero && d <= TimeSpan.FromMilliseconds(400));
        _delays[0].Should().BeLessThanOrEqualTo(TimeSpan.FromMilliseconds(100));
    }

    [Test]
    public async Task An_empty_batch_makes_no_call()
    {
        var sink = new ScriptedSink();

        var outcome = await Publisher(sink).PublishAsync([], CancellationToken.None);

        outcome.Should().Be(new PublishOutcome(0, 0, null, null));
        sink.Calls.Should().BeEmpty();
    }
}

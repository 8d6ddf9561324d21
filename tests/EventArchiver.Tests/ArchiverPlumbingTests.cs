using System.Globalization;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Events.Archiving;
using Pipelines.Events.Domain;
using Pipelines.Tests.EventArchiver.Support;

namespace Pipelines.Tests.EventArchiver;

/// <summary>The per-batch machinery under the archiver: uuid chains and the bounded-parallel loop the claims run in.</summary>
public class ArchiverPlumbingTests
{
    private static ArchiveWork Work(string shard, int seq, int uuid) =>
        new(new ArchiveRecord(
            new RecordId(shard, seq.ToString("D20", CultureInfo.InvariantCulture)),
            new ParsedEvent(TestEvents.Uuid(uuid), "a", "b", new DateOnly(2024, 3, 1), ReadOnlyMemory<byte>.Empty)));

    [Test]
    public void Chains_hold_each_uuid_once_with_its_records_in_sequence_order()
    {
        // uuid 7 three times (one from an earlier shard), uuid 8 twice, the rest once.
        ArchiveWork[] work =
        [
            Work("shardId-1", 5, 7), Work("shardId-1", 6, 1), Work("shardId-1", 7, 8), Work("shardId-0", 9, 7),
            Work("shardId-1", 8, 2), Work("shardId-1", 9, 8), Work("shardId-1", 10, 7),
        ];

        var chains = UuidChains.Of(work);

        var byUuid = Enumerable.Range(0, chains.Count).Select(c => chains[c].ToList()).ToList();
        byUuid.Should().HaveCount(4);
        byUuid.Select(c => c[0].Record.Event.UuidKey).Should().OnlyHaveUniqueItems();
        byUuid.Single(c => c[0].Record.Event.UuidKey == TestEvents.Uuid(7)).Should().Equal(work[3], work[0], work[6]);
        byUuid.Single(c => c[0].Record.Event.UuidKey == TestEvents.Uuid(8)).Should().Equal(work[2], work[5]);
        byUuid.Where(c => c.Count == 1).SelectMany(c => c).Should().Equal(work[1], work[4]);
    }

    [Test]
    public void A_batch_of_distinct_uuids_is_one_chain_per_record_in_batch_order()
    {
        var work = Enumerable.Range(0, 50).Select(i => Work("shardId-1", i, i)).ToArray();

        var chains = UuidChains.Of(work);

        Enumerable.Range(0, chains.Count).Select(c => chains[c].Single()).Should().Equal(work);
    }

    [Test]
    public async Task Runs_every_item_once_with_at_most_the_given_number_in_flight()
    {
        var inFlight = 0;
        var maxInFlight = 0;
        var seen = new int[200];

        await BoundedParallel.ForEachAsync(200, 8, seen, async (counts, i) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxInFlight, now);
            await Task.Delay(1);
            Interlocked.Increment(ref counts[i]);
            Interlocked.Decrement(ref inFlight);
        }, CancellationToken.None);

        seen.Should().OnlyContain(n => n == 1);
        maxInFlight.Should().BeInRange(2, 8);
    }

    [Test]
    public async Task Runs_inline_on_one_worker_when_every_call_completes_synchronously()
    {
        var threads = new HashSet<int>();
        var order = new List<int>();

        await BoundedParallel.ForEachAsync(100, 32, order, (o, i) =>
        {
            threads.Add(Environment.CurrentManagedThreadId);
            o.Add(i);
            return Task.CompletedTask;
        }, CancellationToken.None);

        order.Should().Equal(Enumerable.Range(0, 100));
        threads.Should().ContainSingle();
    }

    [Test]
    public async Task Reports_a_cancelled_invocation_as_cancellation_whatever_the_bodies_threw()
    {
        using var cancel = new CancellationTokenSource();

        var run = () => BoundedParallel.ForEachAsync(10, 4, cancel, async (c, i) =>
        {
            await Task.Yield();
            if (i == 3) await c.CancelAsync();
            if (c.IsCancellationRequested) throw new InvalidOperationException("a sink failing as the invocation is abandoned");
        }, cancel.Token);

        await run.Should().ThrowAsync<OperationCanceledException>();
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}

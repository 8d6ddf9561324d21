using FluentAssertions;
using NUnit.Framework;
using Pipelines.Tests.EventArchiver.Support;

namespace Pipelines.Tests.EventArchiver;

/// <summary>
/// Randomised replays of the event source mapping (partial failures, crashes, bisection, larger retries, repeated
/// deliveries) with random faults at every sink call, on one shard and on two shards at once sharing uuids.
/// </summary>
public class ExactlyOnceReplayTests
{
    private static readonly string[] Names = ["lesson:started", "lesson:completed:quiz:final", "payment:refund:requested", "page:view"];

    private static List<(int N, string Uuid)> Fill(FakeShard shard, Random random, int count, int firstN, Func<int, string> uuidFor)
    {
        var sent = new List<(int, string)>();
        for (var i = 0; i < count; i++)
        {
            var n = firstN + i;
            var uuid = uuidFor(i);
            shard.Add(TestEvents.Bytes(n, uuid, Names[random.Next(Names.Length)], TestEvents.Day1 + random.Next(3) * 86_400 + random.Next(86_400)));
            sent.Add((n, uuid));
        }
        return sent;
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(5)]
    [TestCase(6)]
    [TestCase(7)]
    [TestCase(8)]
    public Task One_shard_under_random_faults_and_redeliveries_archives_every_record_exactly_once(int seed) =>
        ReplayOneShardAsync(seed, refusesWithoutHolder: false);

    [TestCase(21)]
    [TestCase(22)]
    [TestCase(23)]
    [TestCase(24)]
    public Task One_shard_whose_claim_refusals_come_without_the_holder_archives_every_record_exactly_once(int seed) =>
        ReplayOneShardAsync(seed, refusesWithoutHolder: true);

    private static async Task ReplayOneShardAsync(int seed, bool refusesWithoutHolder)
    {
        var random = new Random(seed);
        var shard = new FakeShard("shardId-000000000000");
        // About a quarter of the records re-use an earlier uuid.
        var sent = Fill(shard, random, 150, 0, i => TestEvents.Uuid(i < 20 || random.NextDouble() > 0.25 ? i : random.Next(i)));
        var harness = new ArchiverHarness(refusesWithoutHolder: refusesWithoutHolder);
        // Claims and plans go 25 per call, so a batch makes few sink calls: a fifth of them fail (budget permitting).
        harness.Faults.Randomly(random, probability: 0.2, budget: 60);

        await new KinesisMappingDriver(shard, harness, random, batchSize: 25).RunAsync();

        harness.Faults.Injected.Should().BeGreaterThan(10, "the run must actually exercise failures");
        ArchiveAudit.Of(harness.Archive).ShouldBeExactlyOnce(sent);
    }

    [TestCase(11)]
    [TestCase(12)]
    [TestCase(13)]
    [TestCase(14)]
    public Task Two_shards_carrying_the_same_uuids_at_the_same_time_keep_one_first_occurrence_each(int seed) =>
        ReplayTwoShardsAsync(seed, refusesWithoutHolder: false);

    [TestCase(31)]
    [TestCase(32)]
    public Task Two_shards_whose_claim_refusals_come_without_the_holder_keep_one_first_occurrence_each(int seed) =>
        ReplayTwoShardsAsync(seed, refusesWithoutHolder: true);

    private static async Task ReplayTwoShardsAsync(int seed, bool refusesWithoutHolder)
    {
        var random = new Random(seed);
        var shardA = new FakeShard("shardId-000000000001");
        var shardB = new FakeShard("shardId-000000000002");
        // Every uuid is sent on both shards (as when a producer retries through another shard); shard B carries them
        // in reverse order, so the two shards meet on the same uuids around the middle of the run.
        var sentA = Fill(shardA, random, 120, 0, i => TestEvents.Uuid(1000 + i));
        var sentB = Fill(shardB, random, 120, 10_000, i => TestEvents.Uuid(1000 + 119 - i));
        var harness = new ArchiverHarness(refusesWithoutHolder: refusesWithoutHolder);
        harness.Faults.Randomly(new Random(seed * 31), probability: 0.05, budget: 30);

        await Task.WhenAll(
            Task.Run(() => new KinesisMappingDriver(shardA, harness, new Random(seed), batchSize: 20).RunAsync()),
            Task.Run(() => new KinesisMappingDriver(shardB, harness, new Random(seed + 1), batchSize: 20).RunAsync()));

        var audit = ArchiveAudit.Of(harness.Archive);
        audit.ShouldBeExactlyOnce([.. sentA, .. sentB], firstOccurrenceWins: false);
        audit.Events.Should().HaveCount(120);
        audit.Duplicates.Should().HaveCount(120);
    }
}

using FluentAssertions;
using NUnit.Framework;
using Pipelines.LocalCloud.EventSources;

namespace Pipelines.Tests.LocalCloud;

/// <summary>Lambda's stream retry semantics, with an in-process function and a fixed batch.</summary>
[TestFixture]
public sealed class StreamBatchSettlerTests
{
    private static StreamMappingSettings Settings(bool bisect = false, int retries = 2) => new()
    {
        FunctionName = "fn",
        BisectBatchOnFunctionError = bisect,
        MaximumRetryAttempts = retries,
        RetryDelay = TimeSpan.Zero,
    };

    private static (StreamBatchSettler Settler, CollectingDestination Destination, MappingStats Stats) Create(StreamMappingSettings settings, ScriptedFunction fn)
    {
        var destination = new CollectingDestination();
        var stats = new MappingStats("test");
        return (new StreamBatchSettler(settings, new FixedShardSource(), fn, destination, stats), destination, stats);
    }

    [Test]
    public async Task PartialFailureRetriesFromTheLowestFailedSequenceNumberOnly()
    {
        var batch = FixedShardSource.Records(6);
        var fn = new ScriptedFunction((e, call) => call == 1
            ? ScriptedFunction.PartialFailure(batch[4].SequenceNumber, batch[2].SequenceNumber) // unordered on purpose
            : ScriptedFunction.Ok());
        var (settler, destination, stats) = Create(Settings(), fn);

        await settler.SettleAsync("shardId-000000000000", batch, CancellationToken.None);

        var events = fn.Events.ToList();
        events.Should().HaveCount(2);
        ScriptedFunction.Sequences(events[0]).Should().Equal(batch.Select(r => r.SequenceNumber));
        ScriptedFunction.Sequences(events[1]).Should().Equal(batch.Skip(2).Select(r => r.SequenceNumber),
            "records before the lowest failed sequence number are checkpointed and not sent again");
        destination.Records.Should().BeEmpty();
        stats.RecordsCompleted.Should().Be(6);
    }

    [Test]
    public async Task AnUnknownItemIdentifierFailsTheWholeBatch()
    {
        var batch = FixedShardSource.Records(3);
        var fn = new ScriptedFunction((e, call) => call == 1 ? ScriptedFunction.PartialFailure("not-in-batch") : ScriptedFunction.Ok());
        var (settler, _, _) = Create(Settings(), fn);

        await settler.SettleAsync("shardId-000000000000", batch, CancellationToken.None);

        fn.Events.Select(e => ScriptedFunction.Sequences(e).Count).Should().Equal(3, 3);
    }

    [Test]
    public async Task BisectIsolatesTheBadRecordWithoutUsingRetriesAndReportsOnlyIt()
    {
        var batch = FixedShardSource.Records(8);
        var bad = batch[5].SequenceNumber;
        var fn = new ScriptedFunction((e, _) => ScriptedFunction.Sequences(e).Contains(bad) ? ScriptedFunction.Fail() : ScriptedFunction.Ok());
        var (settler, destination, stats) = Create(Settings(bisect: true, retries: 2), fn);

        await settler.SettleAsync("shardId-000000000000", batch, CancellationToken.None);

        // 8 fails and splits; [0-3] ok; [4-7] fails and splits; [4,5] fails and splits; [4] ok; [5] fails, is retried
        // twice (the retry quota) and reported; then [6,7] ok. Splitting used no retries.
        fn.Events.Select(e => ScriptedFunction.Sequences(e).Count).Should().Equal(8, 4, 4, 2, 1, 1, 1, 1, 2);
        fn.Events.Select(ScriptedFunction.Sequences).Where(s => s.Count == 1 && s[0] == bad).Should().HaveCount(3);
        var onFailure = destination.Records.Should().ContainSingle().Subject;
        onFailure["KinesisBatchInfo"]!["batchSize"]!.GetValue<int>().Should().Be(1);
        onFailure["KinesisBatchInfo"]!["startSequenceNumber"]!.GetValue<string>().Should().Be(bad);
        onFailure["requestContext"]!["condition"]!.GetValue<string>().Should().Be("RetryAttemptsExhausted");
        onFailure["responseContext"]!["functionError"]!.GetValue<string>().Should().Be("Unhandled");
        stats.RecordsCompleted.Should().Be(7);
        stats.RecordsToOnFailure.Should().Be(1);
    }

    [Test]
    public async Task WithoutBisectAFailingBatchIsRetriedMaximumRetryAttemptsTimesThenReportedWhole()
    {
        var batch = FixedShardSource.Records(4);
        var fn = new ScriptedFunction((_, _) => ScriptedFunction.Fail());
        var (settler, destination, _) = Create(Settings(bisect: false, retries: 3), fn);

        await settler.SettleAsync("shardId-000000000000", batch, CancellationToken.None);

        fn.Calls.Should().Be(4, "one attempt plus three retries");
        var record = destination.Records.Should().ContainSingle().Subject;
        record["requestContext"]!["approximateInvokeCount"]!.GetValue<int>().Should().Be(4);
        record["requestContext"]!["functionArn"]!.GetValue<string>().Should().Be("arn:aws:lambda:us-east-1:123456789012:function:fn");
        record["version"]!.GetValue<string>().Should().Be("1.0");
        var info = record["KinesisBatchInfo"]!;
        info["shardId"]!.GetValue<string>().Should().Be("shardId-000000000000");
        info["startSequenceNumber"]!.GetValue<string>().Should().Be(batch[0].SequenceNumber);
        info["endSequenceNumber"]!.GetValue<string>().Should().Be(batch[^1].SequenceNumber);
        info["batchSize"]!.GetValue<int>().Should().Be(4);
        info["streamArn"]!.GetValue<string>().Should().Be("arn:aws:kinesis:us-east-1:123456789012:stream/test-stream");
        info["approximateArrivalOfFirstRecord"]!.GetValue<string>().Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$");
    }

    [Test]
    public async Task RecordsOlderThanMaximumRecordAgeAreReportedWithoutInvoking()
    {
        var old = FixedShardSource.Records(2, DateTimeOffset.UtcNow.AddHours(-2));
        var fn = new ScriptedFunction((_, _) => ScriptedFunction.Ok());
        var (settler, destination, _) = Create(Settings() with { MaximumRecordAge = TimeSpan.FromHours(1) }, fn);

        await settler.SettleAsync("shardId-000000000000", old, CancellationToken.None);

        fn.Calls.Should().Be(0);
        destination.Records.Should().ContainSingle()
            .Which["requestContext"]!["condition"]!.GetValue<string>().Should().Be("RecordAgeExceeded");
    }

    [Test]
    public async Task APartialFailureThatKeepsFailingEndsInAnOnFailureRecordForTheRemainder()
    {
        var batch = FixedShardSource.Records(5);
        var fn = new ScriptedFunction((_, _) => ScriptedFunction.PartialFailure(batch[3].SequenceNumber));
        var (settler, destination, stats) = Create(Settings(retries: 1), fn);

        await settler.SettleAsync("shardId-000000000000", batch, CancellationToken.None);

        fn.Calls.Should().Be(2);
        var info = destination.Records.Should().ContainSingle().Subject["KinesisBatchInfo"]!;
        info["startSequenceNumber"]!.GetValue<string>().Should().Be(batch[3].SequenceNumber);
        info["batchSize"]!.GetValue<int>().Should().Be(2);
        destination.Records.Single()["responseContext"]!["functionError"].Should().BeNull("the function answered; it did not error");
        stats.RecordsCompleted.Should().Be(3);
    }
}

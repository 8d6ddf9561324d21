using System.Diagnostics;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Cli.LocalRun;
using Pipelines.LocalCloud.Emulators;

namespace Pipelines.Tests.LocalCloud;

/// <summary>
/// Faults while records flow: the sink tables answer 500 for a while and Kinesis (kinesalite) is killed and started again
/// on the same port and state. The main job's checks then prove nothing was lost and nothing duplicated: exact review rows,
/// exactly-once event archive partitions, exact county counts, exact consolidated records, every order change delivered.
/// </summary>
[TestFixture]
[NonParallelizable]
[CancelAfter(600_000)]
public sealed class FaultTests
{
    [Test]
    public async Task AKinesisRestartAndADynamoDbOutageLoseAndDuplicateNothing(CancellationToken ct)
    {
        var state = Directory.CreateTempSubdirectory("run-local-fault-");
        var output = new StringWriter();
        long failedDynamoRequests = 0, readErrors = 0;
        var job = new MainJob(new MainJobOptions
        {
            RepoRoot = RepoLocator.FindRepoRoot(),
            Small = true,
            StateDirectory = Path.Combine(state.FullName, "run"),
            DrainTimeout = TimeSpan.FromMinutes(4),
            WhileProducing = async (host, producing, token) =>
            {
                // The DynamoDB outage starts once the functions writing those tables are being invoked, so it overlaps
                // their writes however fast they are (by the time the producers finish, they may be done).
                while (!producing.IsCompleted && !host.AllStats().Any(s => s.Invocations > 0 && WritesFailingTables(s.Name)))
                    await Task.Delay(10, token);
                host.DynamoDb.FailRequestsFor(TimeSpan.FromSeconds(2), new HashSet<string>(["amazon-reviews-raw", "event-dedup", "county-counts"]));
                await producing;
                await host.Emulators.StopAsync(EmulatorService.Kinesis);
                await Task.Delay(TimeSpan.FromSeconds(2), token);
                await host.Emulators.RestartAsync(EmulatorService.Kinesis, token);
            },
            BeforeShutdown = (host, _, _) =>
            {
                failedDynamoRequests = host.DynamoDb.FailedRequests;
                readErrors = host.AllStats().Sum(s => s.ReadErrors);
                return Task.CompletedTask;
            },
        }, output);
        var clock = Stopwatch.StartNew();
        int code;
        try
        {
            code = await job.RunAsync(ct);
        }
        finally
        {
            TestContext.Progress.WriteLine(output.ToString());
            TestContext.Progress.WriteLine($"fault run took {clock.Elapsed.TotalSeconds:0.0} s; {failedDynamoRequests} DynamoDB requests failed, {readErrors} source read errors");
            state.Delete(recursive: true);
        }

        failedDynamoRequests.Should().BePositive("the outage hit the functions' writes");
        readErrors.Should().BePositive("the event sources noticed Kinesis was gone");
        code.Should().Be(0, output.ToString());
        job.Reports.Should().OnlyContain(r => r.Ok);
    }

    private static bool WritesFailingTables(string mappingName) =>
        mappingName.EndsWith("-> review-ingestion-processor", StringComparison.Ordinal)
        || mappingName.EndsWith("-> event-archiver", StringComparison.Ordinal)
        || mappingName.EndsWith("-> county-aggregator", StringComparison.Ordinal);
}

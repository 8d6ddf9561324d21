using FluentAssertions;
using NUnit.Framework;
using Pipelines.Cli.Bench;

namespace Pipelines.Tests.LocalCloud;

/// <summary>
/// `pipeline bench` end to end at the smallest scale: one tiny batch per function through the real handlers and
/// in-memory sinks. Proves every function gets a row with a real figure and that the run checks what the sinks got.
/// </summary>
[TestFixture]
[NonParallelizable] // the bench swaps the process-wide log/metrics output while it runs
public sealed class BenchSmokeTests
{
    private static readonly string[] Functions =
    [
        "review-ingestion-processor", "event-archiver", "county-aggregator",
        "orders-cdc-publisher", "orders-firehose-transform", "catalog-consolidator",
    ];

    private string _workDirectory = "";

    [SetUp]
    public void CreateWorkDirectory() =>
        _workDirectory = Directory.CreateTempSubdirectory("pipeline-bench-smoke-").FullName;

    [TearDown]
    public void DeleteWorkDirectory() => Directory.Delete(_workDirectory, recursive: true);

    [Test]
    [CancelAfter(60_000)]
    public async Task A_smoke_run_reports_every_function_with_positive_throughput_and_a_verified_result()
    {
        var options = BenchOptions.Smoke with { WorkDirectory = _workDirectory };

        var report = await BenchRunner.RunAsync(options, _ => { }, CancellationToken.None);

        report.Rows.Select(r => r.Function).Should().BeEquivalentTo(Functions);
        report.Rows.Should().OnlyContain(r => r.RecordsPerSecond > 0 && double.IsFinite(r.RecordsPerSecond));
        report.Functions.Should().OnlyContain(f => f.Problem == null, "each run is checked against what the in-memory sinks received");
        report.Functions.Should().OnlyContain(f => f.BytesAllocatedPerRecord > 0);
        report.Catalog!.Problem.Should().BeNull();
        report.Catalog.WinnersBytes.Should().BePositive();
        report.Costs.Select(c => c.Function).Should().BeEquivalentTo(Functions);

        var markdown = report.ToMarkdown();
        foreach (var function in Functions) markdown.Should().Contain($"| {function} |");
        markdown.Should().Contain("records/s (median)").And.Contain("B allocated/record").And.Contain("met?");
    }
}

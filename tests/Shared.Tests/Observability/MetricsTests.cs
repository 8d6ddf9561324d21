using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Shared.Observability;
using Pipelines.Shared.Runtime;

namespace Pipelines.Tests.Shared.Observability;

[TestFixture]
[NonParallelizable]
public sealed class MetricsTests
{
    private CapturedTelemetryOutput _out = null!;
    private IDisposable _scope = null!;
    private string _namespace = "";

    [SetUp]
    public void SetUp()
    {
        _out = new CapturedTelemetryOutput();
        _scope = TelemetryOutput.Use(_out);
        Metrics.Reset();
        _namespace = Metrics.Namespace;
        Metrics.Namespace = "RealtimePipelines";
        Metrics.RemoveDimension("FunctionName");
        Metrics.SetDimension("FunctionName", "county-aggregator");
    }

    [TearDown]
    public void TearDown()
    {
        Metrics.Reset();
        Metrics.Namespace = _namespace;
        TelemetryContext.EndInvocation();
        _scope.Dispose();
    }

    private List<JsonElement> Documents() => _out.Lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();

    [Test]
    public void Flush_writes_one_emf_document_with_the_aws_metadata()
    {
        TelemetryContext.BeginInvocation(new LambdaContext { AwsRequestId = "req-9" });
        Metrics.Add("RecordsReceived", 100);
        Metrics.Add("RecordsWritten", 98);
        Metrics.Add("RecordsReceived", 20);
        Metrics.Add("WriteLatency", 12.5, MetricUnit.Milliseconds);
        Metrics.Add("WriteLatency", 7.5, MetricUnit.Milliseconds);
        Metrics.Add("PayloadSize", 1024, MetricUnit.Bytes);

        Metrics.Flush();

        var doc = Documents().Should().ContainSingle().Subject;
        var aws = doc.GetProperty("_aws");
        aws.GetProperty("Timestamp").GetInt64().Should().BeCloseTo(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 5000);
        var directive = aws.GetProperty("CloudWatchMetrics").EnumerateArray().Should().ContainSingle().Subject;
        directive.GetProperty("Namespace").GetString().Should().Be("RealtimePipelines");
        directive.GetProperty("Dimensions").EnumerateArray().Single().EnumerateArray().Select(d => d.GetString()).Should().Equal("FunctionName");
        directive.GetProperty("Metrics").EnumerateArray()
            .Select(m => (m.GetProperty("Name").GetString(), m.GetProperty("Unit").GetString()))
            .Should().BeEquivalentTo(new[] { ("RecordsReceived", "Count"), ("RecordsWritten", "Count"), ("WriteLatency", "Milliseconds"), ("PayloadSize", "Bytes") });
        doc.GetProperty("FunctionName").GetString().Should().Be("county-aggregator");
        doc.GetProperty("RecordsReceived").GetDouble().Should().Be(120, "counts added under one name are summed");
        doc.GetProperty("RecordsWritten").GetDouble().Should().Be(98);
        doc.GetProperty("WriteLatency").EnumerateArray().Select(v => v.GetDouble()).Should().Equal(12.5, 7.5);
        doc.GetProperty("PayloadSize").GetDouble().Should().Be(1024);
        doc.GetProperty("request_id").GetString().Should().Be("req-9");
    }

    [Test]
    public void Nothing_recorded_means_no_output()
    {
        Metrics.Flush();

        _out.Lines.Should().BeEmpty();
    }

    [Test]
    public void Flush_clears_so_the_next_invocation_starts_from_zero()
    {
        Metrics.Add("RecordsReceived", 5);
        Metrics.Flush();
        Metrics.Add("RecordsReceived", 2);
        Metrics.Flush();
        Metrics.Flush();

        Documents().Select(d => d.GetProperty("RecordsReceived").GetDouble()).Should().Equal(5, 2);
    }

    [Test]
    public void More_than_100_metrics_are_split_into_documents_of_at_most_100()
    {
        for (var i = 0; i < 250; i++) Metrics.Add($"M{i:D3}", i);

        Metrics.Flush();

        var docs = Documents();
        docs.Should().HaveCount(3);
        var perDoc = docs.Select(d => d.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Metrics").GetArrayLength()).ToList();
        perDoc.Should().Equal(100, 100, 50);
        var names = docs.SelectMany(d => d.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Metrics").EnumerateArray()
            .Select(m => m.GetProperty("Name").GetString()!)).ToList();
        names.Should().OnlyHaveUniqueItems().And.HaveCount(250);
        foreach (var d in docs)
            foreach (var m in d.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Metrics").EnumerateArray())
                d.TryGetProperty(m.GetProperty("Name").GetString()!, out _).Should().BeTrue("every declared metric has its value in the same document");
    }

    [Test]
    public void More_than_100_samples_of_one_metric_continue_in_another_document()
    {
        for (var i = 0; i < 150; i++) Metrics.Add("Latency", i, MetricUnit.Milliseconds);

        Metrics.Flush();

        var docs = Documents();
        docs.Should().HaveCount(2);
        docs[0].GetProperty("Latency").GetArrayLength().Should().Be(100);
        docs[1].GetProperty("Latency").GetArrayLength().Should().Be(50);
        docs.SelectMany(d => d.GetProperty("Latency").EnumerateArray().Select(v => v.GetDouble()))
            .Should().Equal(Enumerable.Range(0, 150).Select(i => (double)i));
    }

    [Test]
    public void Extra_dimensions_are_declared_and_valued()
    {
        Metrics.SetDimension("Pipeline", "counties");
        Metrics.Add("RecordsRejected", 1);

        Metrics.Flush();

        var doc = Documents().Single();
        doc.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Dimensions")[0].EnumerateArray()
            .Select(d => d.GetString()).Should().Equal("FunctionName", "Pipeline");
        doc.GetProperty("Pipeline").GetString().Should().Be("counties");
    }

    [Test]
    public void Rates_and_units_use_cloudwatch_names()
    {
        Metrics.Add("Throughput", 10, MetricUnit.CountPerSecond);
        Metrics.Add("Bandwidth", 1, MetricUnit.MegabytesPerSecond);

        Metrics.Flush();

        Documents().Single().GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Metrics").EnumerateArray()
            .Select(m => m.GetProperty("Unit").GetString()).Should().BeEquivalentTo("Count/Second", "Megabytes/Second");
    }

    [Test]
    public void Non_finite_values_are_ignored()
    {
        Metrics.Add("Bad", double.NaN);
        Metrics.Add("Worse", double.PositiveInfinity);

        Metrics.Flush();

        _out.Lines.Should().BeEmpty();
    }

    [Test]
    public void Concurrent_adds_are_all_counted()
    {
        Parallel.For(0, 10_000, _ => Metrics.Add("RecordsWritten", 1));

        Metrics.Flush();

        Documents().Single().GetProperty("RecordsWritten").GetDouble().Should().Be(10_000);
    }
}

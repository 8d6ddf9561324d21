using System.Text;
using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Events;
using Pipelines.Shared.Configuration;
using Pipelines.Shared.Observability;
using Pipelines.Shared.Runtime;
using Pipelines.Tests.EventArchiver.Support;

namespace Pipelines.Tests.EventArchiver;

/// <summary>The Lambda handler at the byte level: the fixture payload in, the partial-batch response and EMF metrics out.</summary>
public class EventArchiverHandlerTests
{
    private CapturedTelemetryOutput _telemetry = null!;
    private IDisposable _scope = null!;

    [SetUp]
    public void CaptureTelemetry()
    {
        Metrics.Reset();
        _telemetry = new CapturedTelemetryOutput();
        _scope = TelemetryOutput.Use(_telemetry);
    }

    [TearDown]
    public void RestoreTelemetry()
    {
        _scope.Dispose();
        Metrics.Reset();
    }

    private static EventArchiverHandler Handler(ArchiverHarness harness, int sinkMaxAttempts = 6, int dedupTtlDays = 7) =>
        new(harness.Claims, harness.Archive, harness.Rejects,
            Tunables.FromValues(new Dictionary<string, string>
            {
                ["sink_max_attempts"] = sinkMaxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["dedup_ttl_days"] = dedupTtlDays.ToString(System.Globalization.CultureInfo.InvariantCulture),
            }),
            TimeProvider.System,
            retryDelay: (_, _) => Task.CompletedTask);

    private static async Task<JsonElement> InvokeAsync(EventArchiverHandler handler, byte[] payload)
    {
        using var input = new MemoryStream(payload);
        using var output = new MemoryStream();
        var context = new LambdaContext { AwsRequestId = "req-1", FunctionName = "event-archiver", Deadline = DateTimeOffset.UtcNow.AddMinutes(1) };
        await handler.HandleAsync(input, output, context, CancellationToken.None);
        return JsonDocument.Parse(output.ToArray()).RootElement.Clone();
    }

    private JsonElement FlushedMetrics()
    {
        Metrics.Flush();
        var emf = _telemetry.Lines.Single(l => l.Contains("\"_aws\"", StringComparison.Ordinal));
        return JsonDocument.Parse(emf).RootElement.Clone();
    }

    [Test]
    public async Task Archives_the_fixture_and_acknowledges_the_whole_batch_with_metrics()
    {
        var harness = new ArchiverHarness();
        var before = DateTimeOffset.UtcNow;

        var response = await InvokeAsync(Handler(harness, dedupTtlDays: 3), File.ReadAllBytes(Fixtures.Path("kinesis-event.json")));

        response.GetRawText().Should().Be("""{"batchItemFailures":[]}""");
        var metrics = FlushedMetrics();
        metrics.GetProperty("RecordsReceived").GetDouble().Should().Be(5);
        metrics.GetProperty("RecordsWritten").GetDouble().Should().Be(4);
        metrics.GetProperty("RecordsRejected").GetDouble().Should().Be(1);
        metrics.GetProperty("Duplicates").GetDouble().Should().Be(1);
        metrics.GetProperty("DuplicateRate").GetDouble().Should().Be(25);
        metrics.GetProperty("BatchItemFailures").GetDouble().Should().Be(0);
        metrics.GetProperty("ProcessingLatencyMs").GetDouble().Should().BeGreaterThan(0, "the fixture's records arrived in 2024");
        var units = metrics.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Metrics").EnumerateArray()
            .ToDictionary(m => m.GetProperty("Name").GetString()!, m => m.GetProperty("Unit").GetString());
        units["DuplicateRate"].Should().Be("Percent");
        units["ProcessingLatencyMs"].Should().Be("Milliseconds");

        var claim = harness.Claims.Claims["3f2b8c1e-9d4a-4e6b-8f1c-2a7d5e9b0c14"];
        DateTimeOffset.FromUnixTimeSeconds(claim.ExpiresAt).Should().BeCloseTo(before.AddDays(3), TimeSpan.FromMinutes(1),
            "the dedup horizon comes from the dedup_ttl_days tunable");
        _telemetry.Lines.Should().Contain(l => l.Contains("Batch archived", StringComparison.Ordinal));
    }

    [Test]
    public async Task Reports_the_first_record_of_a_group_whose_object_could_not_be_written()
    {
        var harness = new ArchiverHarness();
        harness.Faults.On(SinkOp.Put, FaultKind.Transient, times: 2, when: k => k.Contains("event_type=payment", StringComparison.Ordinal));
        var fixture = Fixtures.KinesisEvent("kinesis-event.json");

        var response = await InvokeAsync(Handler(harness, sinkMaxAttempts: 2), File.ReadAllBytes(Fixtures.Path("kinesis-event.json")));

        response.GetProperty("batchItemFailures").EnumerateArray().Single().GetProperty("itemIdentifier").GetString()
            .Should().Be(fixture.Records[1].Kinesis.SequenceNumber);
        FlushedMetrics().GetProperty("BatchItemFailures").GetDouble().Should().Be(1);
        _telemetry.Lines.Should().Contain(l => l.Contains("\"level\":\"ERROR\"", StringComparison.OrdinalIgnoreCase)
                                               && l.Contains("event_type=payment", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_redelivered_batch_counts_nothing_as_written_or_duplicate()
    {
        var harness = new ArchiverHarness();
        var handler = Handler(harness);
        var payload = File.ReadAllBytes(Fixtures.Path("kinesis-event.json"));
        await InvokeAsync(handler, payload);
        Metrics.Reset();

        var response = await InvokeAsync(handler, payload);

        response.GetRawText().Should().Be("""{"batchItemFailures":[]}""");
        var metrics = FlushedMetrics();
        metrics.GetProperty("RecordsWritten").GetDouble().Should().Be(0);
        metrics.GetProperty("Duplicates").GetDouble().Should().Be(0);
        metrics.GetProperty("RecordsAlreadyArchived").GetDouble().Should().Be(4);
        metrics.TryGetProperty("DuplicateRate", out _).Should().BeFalse("no rate without newly written records");
    }

    [Test]
    public async Task An_empty_event_is_acknowledged()
    {
        var response = await InvokeAsync(Handler(new ArchiverHarness()), Encoding.UTF8.GetBytes("""{"Records":[]}"""));

        response.GetProperty("batchItemFailures").GetArrayLength().Should().Be(0);
    }
}

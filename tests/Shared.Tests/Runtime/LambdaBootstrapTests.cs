using System.Text;
using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Shared.Events;
using Pipelines.Shared.Observability;
using Pipelines.Shared.Runtime;

namespace Pipelines.Tests.Shared.Runtime;

[TestFixture]
[NonParallelizable]
public sealed class LambdaBootstrapTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private FakeRuntimeApi _api = null!;
    private CapturedTelemetryOutput _telemetry = null!;
    private IDisposable _telemetryScope = null!;
    private CancellationTokenSource _stop = null!;

    [SetUp]
    public void SetUp()
    {
        _api = FakeRuntimeApi.Start();
        _telemetry = new CapturedTelemetryOutput();
        _telemetryScope = TelemetryOutput.Use(_telemetry);
        Metrics.Reset();
        _stop = new CancellationTokenSource();
    }

    [TearDown]
    public async Task TearDown()
    {
        await _stop.CancelAsync();
        _stop.Dispose();
        _telemetryScope.Dispose();
        await _api.DisposeAsync();
    }

    private Task<int> Run(IStreamHandler handler, int memoryMb = 512) =>
        Run(_ => Task.FromResult(handler), memoryMb);

    private Task<int> Run(Func<CancellationToken, Task<IStreamHandler>> init, int memoryMb = 512) =>
        Task.Run(() => LambdaBootstrap.RunAsync(init,
            new LambdaBootstrapOptions { RuntimeApi = _api.Address, FunctionName = "fake-fn", FunctionVersion = "7", MemoryLimitInMB = memoryMb },
            _stop.Token));

    [Test]
    public async Task Success_posts_the_handler_output_as_the_response()
    {
        var loop = Run(new DelegateHandler(async (input, output, _, ct) =>
        {
            using var reader = new StreamReader(input);
            var text = await reader.ReadToEndAsync(ct);
            await output.WriteAsync(Encoding.UTF8.GetBytes(text.ToUpperInvariant()), ct);
        }));

        var result = await _api.InvokeAsync("\"hello\""u8.ToArray()).WaitAsync(Patience);

        result.Kind.Should().Be(ReportKind.Response);
        result.Text.Should().Be("\"HELLO\"");
        await _stop.CancelAsync();
        (await loop.WaitAsync(Patience)).Should().Be(0);
    }

    [Test]
    public async Task Context_comes_from_the_runtime_api_headers_and_environment()
    {
        var seen = new List<(string Id, string Arn, string? Trace, string? TraceEnv, string Name, string Version, int Memory, bool Cold, DateTimeOffset Deadline)>();
        _ = Run(new DelegateHandler((_, _, ctx, _) =>
        {
            seen.Add((ctx.AwsRequestId, ctx.InvokedFunctionArn, ctx.TraceId, Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID"),
                ctx.FunctionName, ctx.FunctionVersion, ctx.MemoryLimitInMB, ctx.IsColdStart, ctx.Deadline));
            return Task.CompletedTask;
        }), memoryMb: 1024);
        var deadline = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddSeconds(30).ToUnixTimeMilliseconds());
        const string trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1";

        await _api.InvokeAsync("{}"u8.ToArray(), deadline, trace, "req-a").WaitAsync(Patience);
        await _api.InvokeAsync("{}"u8.ToArray(), deadline, null, "req-b").WaitAsync(Patience);

        seen.Should().HaveCount(2);
        seen[0].Should().Be(("req-a", "arn:aws:lambda:us-east-1:123456789012:function:fake-fn", trace, trace, "fake-fn", "7", 1024, true, deadline));
        seen[1].Id.Should().Be("req-b");
        seen[1].Cold.Should().BeFalse();
        seen[1].Trace.Should().BeNull();
        seen[1].TraceEnv.Should().BeNull("a trace id must not leak into the next invocation");
    }

    [Test]
    public async Task Remaining_time_is_measured_from_the_deadline_header()
    {
        TimeSpan remaining = default;
        _ = Run(new DelegateHandler((_, _, ctx, _) =>
        {
            remaining = ctx.RemainingTime;
            return Task.CompletedTask;
        }));

        await _api.InvokeAsync("{}"u8.ToArray(), DateTimeOffset.UtcNow.AddSeconds(3)).WaitAsync(Patience);

        remaining.Should().BeGreaterThan(TimeSpan.FromSeconds(1.5)).And.BeLessThanOrEqualTo(TimeSpan.FromSeconds(3));
    }

    [Test]
    public async Task Handler_exception_posts_an_error_and_the_loop_goes_on()
    {
        var calls = 0;
        _ = Run(new DelegateHandler(async (_, output, _, ct) =>
        {
            if (Interlocked.Increment(ref calls) == 1) throw new InvalidOperationException("table amazon-reviews-raw is missing");
            await output.WriteAsync("{\"ok\":true}"u8.ToArray(), ct);
        }));

        var failed = await _api.InvokeAsync("{}"u8.ToArray()).WaitAsync(Patience);
        var next = await _api.InvokeAsync("{}"u8.ToArray()).WaitAsync(Patience);

        failed.Kind.Should().Be(ReportKind.Error);
        failed.ErrorTypeHeader.Should().Be("InvalidOperationException");
        using var error = JsonDocument.Parse(failed.Body);
        error.RootElement.GetProperty("errorType").GetString().Should().Be("InvalidOperationException");
        error.RootElement.GetProperty("errorMessage").GetString().Should().Be("table amazon-reviews-raw is missing");
        error.RootElement.GetProperty("stackTrace").EnumerateArray().Select(e => e.GetString()).Should()
            .Contain(line => line!.Contains(nameof(Handler_exception_posts_an_error_and_the_loop_goes_on), StringComparison.Ordinal));
        next.Kind.Should().Be(ReportKind.Response);
        next.Text.Should().Be("{\"ok\":true}");
        _telemetry.Lines.Should().Contain(l => l.Contains("\"level\":\"ERROR\"", StringComparison.Ordinal) &&
                                               l.Contains("table amazon-reviews-raw is missing", StringComparison.Ordinal));
    }

    [Test]
    public async Task Init_failure_is_reported_to_init_error_and_exits_non_zero()
    {
        var exit = await Run(_ => throw new InvalidOperationException("REVIEWS_TABLE is not set")).WaitAsync(Patience);

        exit.Should().Be(LambdaBootstrap.ExitInitFailed).And.NotBe(0);
        var init = await _api.InitError.WaitAsync(Patience);
        init.ErrorTypeHeader.Should().Be("InvalidOperationException");
        using var error = JsonDocument.Parse(init.Body);
        error.RootElement.GetProperty("errorType").GetString().Should().Be("InvalidOperationException");
        error.RootElement.GetProperty("errorMessage").GetString().Should().Be("REVIEWS_TABLE is not set");
        error.RootElement.GetProperty("stackTrace").ValueKind.Should().Be(JsonValueKind.Array);
    }

    [Test]
    public async Task Async_init_failure_is_reported_the_same_way()
    {
        var exit = await Run(async ct =>
        {
            await Task.Delay(10, ct);
            throw new FileNotFoundException("no config");
        }).WaitAsync(Patience);

        exit.Should().Be(LambdaBootstrap.ExitInitFailed);
        (await _api.InitError.WaitAsync(Patience)).ErrorTypeHeader.Should().Be("FileNotFoundException");
    }

    [Test]
    public async Task Payload_near_the_6MB_limit_round_trips_byte_for_byte()
    {
        var payload = new byte[LambdaBootstrapOptions.MaxPayloadBytes - 64];
        new Random(42).NextBytes(payload);
        _ = Run(new DelegateHandler((input, output, _, ct) => input.CopyToAsync(output, ct)));

        var result = await _api.InvokeAsync(payload).WaitAsync(Patience);

        result.Kind.Should().Be(ReportKind.Response);
        result.Body.Length.Should().Be(payload.Length);
        result.Body.AsSpan().SequenceEqual(payload).Should().BeTrue();
    }

    [Test]
    public async Task Response_over_6MB_becomes_a_function_error()
    {
        _ = Run(new DelegateHandler((_, output, _, ct) =>
            output.WriteAsync(new byte[LambdaBootstrapOptions.MaxPayloadBytes + 1], ct).AsTask()));

        var result = await _api.InvokeAsync("{}"u8.ToArray()).WaitAsync(Patience);

        result.Kind.Should().Be(ReportKind.Error);
        result.ErrorTypeHeader.Should().Be(nameof(ResponseSizeTooLargeException));
    }

    [Test]
    public async Task Two_hundred_invocations_back_to_back_each_get_their_own_answer()
    {
        _ = Run(new DelegateHandler(async (input, output, ctx, ct) =>
        {
            await input.CopyToAsync(output, ct);
            await output.WriteAsync(Encoding.UTF8.GetBytes(":" + ctx.AwsRequestId), ct);
        }));

        var results = new List<Reported>();
        for (var i = 0; i < 200; i++)
            results.Add(await _api.InvokeAsync(Encoding.UTF8.GetBytes($"n{i}"), requestId: $"id-{i}").WaitAsync(Patience));

        results.Should().OnlyContain(r => r.Kind == ReportKind.Response);
        results.Select(r => r.Text).Should().Equal(Enumerable.Range(0, 200).Select(i => $"n{i}:id-{i}"));
    }

    [Test]
    public async Task Metrics_are_flushed_once_per_invocation_with_the_request_id()
    {
        var calls = 0;
        _ = Run(new DelegateHandler((_, _, _, _) =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                Metrics.Add("RecordsReceived", 3);
                Metrics.Add("RecordsReceived", 2);
            }
            return Task.CompletedTask;
        }));

        await _api.InvokeAsync("{}"u8.ToArray(), requestId: "with-metrics").WaitAsync(Patience);
        await _api.InvokeAsync("{}"u8.ToArray(), requestId: "without-metrics").WaitAsync(Patience);

        var emf = _telemetry.Lines.Where(l => l.StartsWith("{\"_aws\"", StringComparison.Ordinal)).ToList();
        emf.Should().ContainSingle();
        using var doc = JsonDocument.Parse(emf[0]);
        doc.RootElement.GetProperty("RecordsReceived").GetDouble().Should().Be(5);
        doc.RootElement.GetProperty("request_id").GetString().Should().Be("with-metrics");
    }

    [Test]
    public async Task Logs_written_during_an_invocation_carry_its_context()
    {
        _ = Run(new DelegateHandler((_, _, _, _) =>
        {
            Log.Info("processing", new LogField("records", 3));
            return Task.CompletedTask;
        }));

        await _api.InvokeAsync("{}"u8.ToArray(), traceId: "Root=1-abc", requestId: "r-log").WaitAsync(Patience);

        var line = _telemetry.Lines.Single(l => l.Contains("\"processing\"", StringComparison.Ordinal));
        using var doc = JsonDocument.Parse(line);
        doc.RootElement.GetProperty("request_id").GetString().Should().Be("r-log");
        doc.RootElement.GetProperty("trace_id").GetString().Should().Be("Root=1-abc");
        doc.RootElement.GetProperty("cold_start").GetBoolean().Should().BeTrue();
        doc.RootElement.GetProperty("function_name").GetString().Should().Be("fake-fn");
        doc.RootElement.GetProperty("records").GetInt32().Should().Be(3);
    }

    [Test]
    public async Task Json_handler_decodes_the_event_and_encodes_the_response()
    {
        _ = Run(new FailEveryOtherRecord());
        var evt = File.ReadAllBytes(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "Events", "kinesis-event.json"));

        var result = await _api.InvokeAsync(evt).WaitAsync(Patience);

        result.Text.Should().Be("""{"batchItemFailures":[{"itemIdentifier":"49568167373333333334444444444444444444444444444444444444"}]}""");
    }

    [Test]
    public async Task Invalid_json_payload_is_a_function_error()
    {
        _ = Run(new FailEveryOtherRecord());

        var result = await _api.InvokeAsync("not json"u8.ToArray()).WaitAsync(Patience);

        result.Kind.Should().Be(ReportKind.Error);
        result.ErrorTypeHeader.Should().Be("JsonException");
    }

    [Test]
    public async Task A_broken_runtime_api_ends_the_process_with_a_distinct_exit_code()
    {
        _api.NextFailsWith = 500;

        var exit = await Run(new DelegateHandler((_, _, _, _) => Task.CompletedTask)).WaitAsync(Patience);

        exit.Should().Be(LambdaBootstrap.ExitRuntimeApiFailed);
    }

    [Test]
    public async Task Missing_runtime_api_address_is_a_configuration_error()
    {
        var exit = await LambdaBootstrap.RunAsync(_ => Task.FromResult<IStreamHandler>(new FailEveryOtherRecord()),
            new LambdaBootstrapOptions(), CancellationToken.None);

        exit.Should().Be(LambdaBootstrap.ExitMisconfigured);
    }

    private sealed class DelegateHandler(Func<Stream, Stream, ILambdaContext, CancellationToken, Task> handle) : IStreamHandler
    {
        public Task HandleAsync(Stream input, Stream output, ILambdaContext context, CancellationToken cancellationToken) =>
            handle(input, output, context, cancellationToken);
    }

    private sealed class FailEveryOtherRecord() : JsonHandler<KinesisEvent, BatchResponse>(
        EventJsonContext.Default.KinesisEvent, EventJsonContext.Default.BatchResponse)
    {
        protected override Task<BatchResponse> HandleAsync(KinesisEvent input, ILambdaContext context, CancellationToken cancellationToken) =>
            Task.FromResult(BatchResponse.Of(input.Records.Where((_, i) => i % 2 == 1).Select(r => r.Kinesis.SequenceNumber)));
    }
}

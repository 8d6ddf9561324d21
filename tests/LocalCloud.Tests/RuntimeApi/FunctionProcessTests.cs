using System.Collections.Concurrent;
using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.LocalCloud.RuntimeApi;

namespace Pipelines.Tests.LocalCloud.RuntimeApi;

/// <summary>Functions run as child processes against the loopback Runtime API, the way the local cloud runs them.</summary>
[TestFixture]
public sealed class FunctionProcessTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private static string Fixture(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "RuntimeApi", name);

    [Test]
    public async Task A_real_function_answers_the_aws_firehose_sample_and_stays_warm()
    {
        var lines = new ConcurrentQueue<FunctionOutputLine>();
        await using var fn = await FunctionProcess.StartAsync("orders-firehose-transform", new Dictionary<string, string> { ["LOG_LEVEL"] = "INFO" },
            new FunctionProcessOptions { OnOutput = lines.Enqueue, Preference = LaunchPreference.Dll });
        var evt = await File.ReadAllBytesAsync(Fixture("firehose-event.json"));

        var first = await fn.InvokeAsync(evt, TimeSpan.FromSeconds(30)).WaitAsync(Patience);
        var second = await fn.InvokeAsync(evt, TimeSpan.FromSeconds(30)).WaitAsync(Patience);

        fn.Launch.Kind.Should().Be(FunctionLaunchKind.Dll);
        first.Status.Should().Be(InvokeStatus.Ok, first.PayloadText);
        using var response = JsonDocument.Parse(first.Payload);
        var records = response.RootElement.GetProperty("records").EnumerateArray().ToList();
        records.Select(r => r.GetProperty("recordId").GetString()).Should().Equal("49546986683135544286507457936321625675700192471156785154");
        records[0].GetProperty("result").GetString().Should().BeOneOf("Ok", "Dropped", "ProcessingFailed");
        second.Status.Should().Be(InvokeStatus.Ok);
        fn.StartCount.Should().Be(1, "the second invocation reuses the warm process");
        var logs = lines.Where(l => !l.IsStandardError && l.Text.StartsWith('{')).Select(l => JsonDocument.Parse(l.Text).RootElement).ToList();
        logs.Where(l => Member(l, "function_name") == "orders-firehose-transform" && Member(l, "request_id") == first.RequestId)
            .Should().NotBeEmpty("the function's log lines carry its name and the request id");
        logs.Where(l => l.TryGetProperty("_aws", out _)).Should().HaveCountGreaterThanOrEqualTo(2, "metrics are flushed after each invocation");
    }

    [Test]
    public async Task Init_failure_is_returned_as_the_function_error_and_the_process_exits_non_zero()
    {
        // review-ingestion-processor requires REVIEWS_TABLE at init; without it init fails the way a bad deploy would.
        await using var fn = await FunctionProcess.StartAsync("review-ingestion-processor", new Dictionary<string, string>(),
            new FunctionProcessOptions { Preference = LaunchPreference.Dll, InheritEnvironment = true });
        Environment.GetEnvironmentVariable("REVIEWS_TABLE").Should().BeNull("the test relies on the variable being absent");

        var result = await fn.InvokeAsync("""{"Records":[]}"""u8.ToArray(), TimeSpan.FromSeconds(30)).WaitAsync(Patience);

        result.Status.Should().Be(InvokeStatus.FunctionError);
        result.ErrorMessage.Should().Contain("REVIEWS_TABLE");
        await WaitUntil(() => !fn.IsRunning);
        fn.LastExitCode.Should().NotBe(0);
    }

    [Test]
    public async Task A_crashing_bootstrap_fails_the_invocation_with_its_exit_status_and_is_restarted_next_time()
    {
        await using var fn = await FunctionProcess.StartAsync("crasher", null, new FunctionProcessOptions
        {
            Launch = new FunctionLaunch("/bin/sh", ["-c", "echo 'fatal: out of cheese' >&2; exit 3"], FunctionLaunchKind.Bootstrap),
        });

        var first = await fn.InvokeAsync("{}"u8.ToArray(), TimeSpan.FromSeconds(20)).WaitAsync(Patience);
        var startsAfterFirst = fn.StartCount;
        var second = await fn.InvokeAsync("{}"u8.ToArray(), TimeSpan.FromSeconds(20)).WaitAsync(Patience);

        first.Status.Should().Be(InvokeStatus.FunctionError);
        first.ErrorType.Should().Be("Runtime.ExitError");
        first.ErrorMessage.Should().Contain("exit status 3");
        second.Status.Should().Be(InvokeStatus.FunctionError);
        fn.StartCount.Should().Be(startsAfterFirst + 1, "the second invocation starts a new process");
        first.Duration.Should().BeLessThan(TimeSpan.FromSeconds(10), "a crash is reported when it happens, not at the timeout");
    }

    [Test]
    public async Task A_hanging_function_times_out_and_is_killed()
    {
        await using var fn = await FunctionProcess.StartAsync("sleeper", null, new FunctionProcessOptions
        {
            Launch = new FunctionLaunch("/bin/sh", ["-c", "sleep 60"], FunctionLaunchKind.Bootstrap),
        });

        var result = await fn.InvokeAsync("{}"u8.ToArray(), TimeSpan.FromMilliseconds(500)).WaitAsync(Patience);

        result.Status.Should().Be(InvokeStatus.Timeout);
        result.ErrorType.Should().Be("Sandbox.Timedout");
        fn.IsRunning.Should().BeFalse();
    }

    [Test]
    public async Task Unknown_function_names_are_refused()
    {
        var act = () => FunctionProcess.StartAsync("no-such-function");

        await act.Should().ThrowAsync<KeyNotFoundException>().WithMessage("*no-such-function*");
    }

    private static string? Member(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition() && DateTime.UtcNow < deadline) await Task.Delay(20);
    }
}

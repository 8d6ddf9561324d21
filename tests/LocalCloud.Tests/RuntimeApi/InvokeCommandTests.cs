using System.Diagnostics;
using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;

namespace Pipelines.Tests.LocalCloud.RuntimeApi;

/// <summary><c>./scripts/pipeline invoke</c> end to end: the CLI as a process, the function as its child process.</summary>
[TestFixture]
public sealed class InvokeCommandTests
{
    private static string Fixture(string name) => Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "RuntimeApi", name);

    private static Task<(int Exit, string Stdout, string Stderr)> Pipeline(params string[] args) => Pipeline(args, []);

    private static async Task<(int Exit, string Stdout, string Stderr)> Pipeline(string[] args, string[] unsetVariables)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var name in unsetVariables) psi.Environment.Remove(name);
        psi.ArgumentList.Add(Path.Combine(TestContext.CurrentContext.TestDirectory, "pipeline.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        return (p.ExitCode, await stdout, await stderr);
    }

    [Test]
    public async Task Prints_the_response_json_on_stdout_and_logs_on_stderr()
    {
        var (exit, stdout, stderr) = await Pipeline("invoke", "orders-firehose-transform", "--event", Fixture("firehose-event.json"));

        exit.Should().Be(0, stderr);
        using var response = JsonDocument.Parse(stdout);
        response.RootElement.GetProperty("records")[0].GetProperty("recordId").GetString()
            .Should().Be("49546986683135544286507457936321625675700192471156785154");
        stderr.Should().Contain("\"function_name\":\"orders-firehose-transform\"");
    }

    [Test]
    public async Task Coldstart_measures_a_function_whose_init_builds_aws_clients_on_a_machine_without_aws_credentials()
    {
        var (exit, stdout, stderr) = await Pipeline(
            ["coldstart", "event-archiver", "--runs", "1", "--build", "dll"],
            ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"]);

        exit.Should().Be(0, stdout + stderr);
        stdout.Should().MatchRegex(@"event-archiver\s+dll\s+1\s+[0-9.]+\s+[0-9.]+\s+[0-9.]+\s+[0-9.]+\s+0\b");
    }

    [Test]
    public async Task A_function_error_prints_the_error_json_and_exits_non_zero()
    {
        var bad = Path.Combine(Path.GetTempPath(), $"not-json-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(bad, "this is not an event");
        try
        {
            var (exit, stdout, _) = await Pipeline("invoke", "orders-firehose-transform", "--event", bad, "--quiet");

            exit.Should().Be(1);
            using var error = JsonDocument.Parse(stdout);
            // The function's own event reader names the problem; the runtime reports it as an invalid event.
            error.RootElement.GetProperty("errorType").GetString().Should().Be("InvalidEventException");
            error.RootElement.GetProperty("errorMessage").GetString().Should().NotBeNullOrWhiteSpace();
            error.RootElement.GetProperty("stackTrace").ValueKind.Should().Be(JsonValueKind.Array);
        }
        finally
        {
            File.Delete(bad);
        }
    }

    [Test]
    public async Task Help_lists_every_function_in_the_topology()
    {
        var (exit, stdout, _) = await Pipeline("invoke", "--help");

        exit.Should().Be(0);
        stdout.Should().ContainAll("review-ingestion-processor", "event-archiver", "county-aggregator", "orders-cdc-publisher",
            "orders-firehose-transform", "catalog-consolidator");
    }

    [Test]
    public async Task An_unknown_function_is_a_usage_error()
    {
        var (exit, _, stderr) = await Pipeline("invoke", "nope", "--event", Fixture("firehose-event.json"));

        exit.Should().Be(2);
        stderr.Should().Contain("unknown function 'nope'");
    }
}

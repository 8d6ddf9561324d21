using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Shared.Observability;
using Pipelines.Shared.Runtime;

namespace Pipelines.Tests.Shared.Observability;

[TestFixture]
[NonParallelizable]
public sealed class LogTests
{
    private CapturedTelemetryOutput _out = null!;
    private IDisposable _scope = null!;
    private LogLevel _level;

    [SetUp]
    public void SetUp()
    {
        _out = new CapturedTelemetryOutput();
        _scope = TelemetryOutput.Use(_out);
        _level = Log.MinimumLevel;
        Log.MinimumLevel = LogLevel.Info;
        TelemetryContext.FunctionName = "review-ingestion-processor";
        TelemetryContext.FunctionVersion = "$LATEST";
    }

    [TearDown]
    public void TearDown()
    {
        TelemetryContext.EndInvocation();
        Log.MinimumLevel = _level;
        _scope.Dispose();
    }

    private JsonElement OnlyLine() => JsonDocument.Parse(_out.Lines.Should().ContainSingle().Subject).RootElement;

    [Test]
    public void A_line_is_one_json_object_with_the_standard_members_then_the_fields()
    {
        TelemetryContext.BeginInvocation(new LambdaContext { AwsRequestId = "req-1", TraceId = "Root=1-abc", IsColdStart = true });

        Log.Info("batch written", new LogField("records", 500), new LogField("table", "amazon-reviews-raw"),
            new LogField("ratio", 0.25), new LogField("partial", false), new LogField("missing", (string?)null));

        var line = _out.Lines.Single();
        line.Should().NotContain("\n");
        var e = OnlyLine();
        e.EnumerateObject().Select(p => p.Name).Should().Equal("timestamp", "level", "message", "function_name", "function_version",
            "request_id", "cold_start", "trace_id", "records", "table", "ratio", "partial", "missing");
        DateTimeOffset.Parse(e.GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture)
            .Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromSeconds(5));
        e.GetProperty("timestamp").GetString().Should().MatchRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$");
        e.GetProperty("level").GetString().Should().Be("INFO");
        e.GetProperty("message").GetString().Should().Be("batch written");
        e.GetProperty("function_name").GetString().Should().Be("review-ingestion-processor");
        e.GetProperty("function_version").GetString().Should().Be("$LATEST");
        e.GetProperty("request_id").GetString().Should().Be("req-1");
        e.GetProperty("cold_start").GetBoolean().Should().BeTrue();
        e.GetProperty("trace_id").GetString().Should().Be("Root=1-abc");
        e.GetProperty("records").GetInt64().Should().Be(500);
        e.GetProperty("table").GetString().Should().Be("amazon-reviews-raw");
        e.GetProperty("ratio").GetDouble().Should().Be(0.25);
        e.GetProperty("partial").GetBoolean().Should().BeFalse();
        e.GetProperty("missing").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Test]
    public void Outside_an_invocation_there_is_no_request_context()
    {
        Log.Warn("init slow");

        var e = OnlyLine();
        e.TryGetProperty("request_id", out _).Should().BeFalse();
        e.TryGetProperty("cold_start", out _).Should().BeFalse();
        e.GetProperty("level").GetString().Should().Be("WARN");
    }

    [Test]
    public void Exceptions_are_logged_with_type_message_and_stack()
    {
        try
        {
            throw new InvalidDataException("bad record", new FormatException("not base64"));
        }
        catch (InvalidDataException ex)
        {
            Log.Error("record rejected", ex, new LogField("sequence_number", "4955"));
        }

        var e = OnlyLine();
        e.GetProperty("level").GetString().Should().Be("ERROR");
        e.GetProperty("error_type").GetString().Should().Be("InvalidDataException");
        e.GetProperty("error_message").GetString().Should().Be("bad record");
        e.GetProperty("stack_trace").GetString().Should().Contain(nameof(Exceptions_are_logged_with_type_message_and_stack));
        e.GetProperty("error_cause").GetString().Should().Be("FormatException: not base64");
        e.GetProperty("sequence_number").GetString().Should().Be("4955");
    }

    [Test]
    public void Lines_below_the_minimum_level_are_not_written()
    {
        Log.MinimumLevel = LogLevel.Warn;

        Log.Debug("d");
        Log.Info("i");
        Log.Warn("w");
        Log.Error("e");

        _out.Lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("message").GetString()).Should().Equal("w", "e");
    }

    [TestCase("DEBUG", LogLevel.Debug)]
    [TestCase("trace", LogLevel.Debug)]
    [TestCase("Info", LogLevel.Info)]
    [TestCase("WARN", LogLevel.Warn)]
    [TestCase("warning", LogLevel.Warn)]
    [TestCase("ERROR", LogLevel.Error)]
    [TestCase("FATAL", LogLevel.Error)]
    public void Level_names_parse(string text, LogLevel expected) => Log.ParseLevel(text).Should().Be(expected);

    [Test]
    public void Unknown_level_names_do_not_parse() => Log.ParseLevel("LOUD").Should().BeNull();

    [Test]
    public void Aws_lambda_log_level_wins_over_log_level()
    {
        var aws = Environment.GetEnvironmentVariable("AWS_LAMBDA_LOG_LEVEL");
        var plain = Environment.GetEnvironmentVariable("LOG_LEVEL");
        try
        {
            Environment.SetEnvironmentVariable("AWS_LAMBDA_LOG_LEVEL", "ERROR");
            Environment.SetEnvironmentVariable("LOG_LEVEL", "DEBUG");
            Log.LevelFromEnvironment().Should().Be(LogLevel.Error);
            Environment.SetEnvironmentVariable("AWS_LAMBDA_LOG_LEVEL", null);
            Log.LevelFromEnvironment().Should().Be(LogLevel.Debug);
            Environment.SetEnvironmentVariable("LOG_LEVEL", null);
            Log.LevelFromEnvironment().Should().Be(LogLevel.Info);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_LAMBDA_LOG_LEVEL", aws);
            Environment.SetEnvironmentVariable("LOG_LEVEL", plain);
        }
    }

    [Test]
    public void Quotes_newlines_and_non_ascii_in_messages_stay_valid_json()
    {
        Log.Info("key \"café\"\nline2", new LogField("nan", double.NaN));

        var e = OnlyLine();
        e.GetProperty("message").GetString().Should().Be("key \"café\"\nline2");
        e.GetProperty("nan").GetString().Should().Be("NaN");
        _out.Lines.Single().Should().Contain("café");
    }

    [Test]
    public void Concurrent_logging_never_interleaves_lines()
    {
        Parallel.For(0, 2000, i => Log.Info("parallel", new LogField("i", i)));

        _out.Lines.Should().HaveCount(2000);
        _out.Lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("i").GetInt32()).Order().Should().Equal(Enumerable.Range(0, 2000));
    }
}

using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipelines.Shared.Observability;

/// <summary>
/// Structured logging: one JSON object per line (timestamp, level, message, function_name, function_version,
/// request_id, cold_start, trace_id, then the fields). The minimum level comes from AWS_LAMBDA_LOG_LEVEL
/// (Lambda's advanced logging controls) or LOG_LEVEL, default INFO.
/// </summary>
public static class Log
{
    [ThreadStatic] private static JsonLineBuffer? t_buffer;

    public static LogLevel MinimumLevel { get; set; } = LevelFromEnvironment();

    public static bool IsEnabled(LogLevel level) => level >= MinimumLevel;

    public static void Debug(string message, params ReadOnlySpan<LogField> fields) => Write(LogLevel.Debug, message, null, fields);

    public static void Info(string message, params ReadOnlySpan<LogField> fields) => Write(LogLevel.Info, message, null, fields);

    public static void Warn(string message, params ReadOnlySpan<LogField> fields) => Write(LogLevel.Warn, message, null, fields);

    public static void Error(string message, params ReadOnlySpan<LogField> fields) => Write(LogLevel.Error, message, null, fields);

    public static void Error(string message, Exception exception, params ReadOnlySpan<LogField> fields) =>
        Write(LogLevel.Error, message, exception, fields);

    public static void Write(LogLevel level, string message, Exception? exception, ReadOnlySpan<LogField> fields)
    {
        if (!IsEnabled(level)) return;
        var buffer = t_buffer ??= new JsonLineBuffer();
        var w = buffer.Start();
        w.WriteStartObject();
        WriteTimestamp(w, "timestamp", DateTimeOffset.UtcNow);
        w.WriteString("level", LevelName(level));
        w.WriteString("message", message);
        if (TelemetryContext.FunctionName.Length > 0) w.WriteString("function_name", TelemetryContext.FunctionName);
        if (TelemetryContext.FunctionVersion.Length > 0) w.WriteString("function_version", TelemetryContext.FunctionVersion);
        if (TelemetryContext.RequestId is { } requestId) w.WriteString("request_id", requestId);
        if (TelemetryContext.IsColdStart is { } coldStart) w.WriteBoolean("cold_start", coldStart);
        if (TelemetryContext.TraceId is { } traceId) w.WriteString("trace_id", traceId);
        foreach (ref readonly var f in fields) WriteField(w, in f);
        if (exception is not null)
        {
            w.WriteString("error_type", exception.GetType().Name);
            w.WriteString("error_message", exception.Message);
            if (exception.StackTrace is { } stack) w.WriteString("stack_trace", stack);
            if (exception.InnerException is { } inner) w.WriteString("error_cause", $"{inner.GetType().Name}: {inner.Message}");
        }
        w.WriteEndObject();
        buffer.Emit();
    }

    internal static void WriteTimestamp(Utf8JsonWriter w, string name, DateTimeOffset at)
    {
        Span<char> chars = stackalloc char[32];
        at.UtcDateTime.TryFormat(chars, out var n, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        w.WriteString(name, chars[..n]);
    }

    private static void WriteField(Utf8JsonWriter w, in LogField f)
    {
        if (string.IsNullOrEmpty(f.Name)) return;
        switch (f.Kind)
        {
            case LogField.FieldKind.String:
                if (f.StringValue is null) w.WriteNull(f.Name);
                else w.WriteString(f.Name, f.StringValue);
                break;
            case LogField.FieldKind.Long:
                w.WriteNumber(f.Name, f.LongValue);
                break;
            case LogField.FieldKind.Double:
                // JSON has no NaN/Infinity: keep the information as text instead of throwing inside a log call.
                if (double.IsFinite(f.DoubleValue)) w.WriteNumber(f.Name, f.DoubleValue);
                else w.WriteString(f.Name, f.DoubleValue.ToString(CultureInfo.InvariantCulture));
                break;
            case LogField.FieldKind.Bool:
                w.WriteBoolean(f.Name, f.LongValue != 0);
                break;
        }
    }

    private static string LevelName(LogLevel level) => level switch
    {
        LogLevel.Debug => "DEBUG",
        LogLevel.Info => "INFO",
        LogLevel.Warn => "WARN",
        _ => "ERROR",
    };

    /// <summary>Reads AWS_LAMBDA_LOG_LEVEL, then LOG_LEVEL; TRACE counts as DEBUG and FATAL as ERROR.</summary>
    public static LogLevel LevelFromEnvironment() =>
        ParseLevel(Environment.GetEnvironmentVariable("AWS_LAMBDA_LOG_LEVEL"))
        ?? ParseLevel(Environment.GetEnvironmentVariable("LOG_LEVEL"))
        ?? LogLevel.Info;

    public static LogLevel? ParseLevel(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        "TRACE" or "DEBUG" => LogLevel.Debug,
        "INFO" or "INFORMATION" => LogLevel.Info,
        "WARN" or "WARNING" => LogLevel.Warn,
        "ERROR" or "FATAL" or "CRITICAL" => LogLevel.Error,
        _ => null,
    };
}

/// <summary>A reusable buffer + writer pair: building a line allocates nothing once warmed up.</summary>
internal sealed class JsonLineBuffer : IDisposable
{
    private static readonly JsonWriterOptions Options = new()
    {
        // Log lines are read by people and CloudWatch, not embedded in HTML: keep quotes and non-ASCII readable.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    private readonly ArrayBufferWriter<byte> _bytes = new(1024);
    private readonly Utf8JsonWriter _writer;

    public JsonLineBuffer() => _writer = new Utf8JsonWriter(_bytes, Options);

    public Utf8JsonWriter Start()
    {
        _bytes.ResetWrittenCount();
        _writer.Reset(_bytes);
        return _writer;
    }

    public void Dispose() => _writer.Dispose();

    public void Emit()
    {
        _writer.Flush();
        TelemetryOutput.Current.WriteLine(_bytes.WrittenSpan);
    }
}

using System.Buffers;
using System.Text.Json;

namespace Pipelines.Shared.Runtime;

/// <summary>The Runtime API error body: <c>{"errorType","errorMessage","stackTrace":[...]}</c>.</summary>
internal static class ErrorPayload
{
    public static string ErrorType(Exception exception) => Unwrap(exception).GetType().Name;

    public static byte[] Create(Exception exception)
    {
        var ex = Unwrap(exception);
        var bytes = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(bytes))
        {
            w.WriteStartObject();
            w.WriteString("errorType", ex.GetType().Name);
            w.WriteString("errorMessage", ex.Message);
            w.WriteStartArray("stackTrace");
            foreach (var line in StackLines(ex)) w.WriteStringValue(line);
            w.WriteEndArray();
            if (ex.InnerException is { } inner)
            {
                w.WriteStartObject("cause");
                w.WriteString("errorType", inner.GetType().Name);
                w.WriteString("errorMessage", inner.Message);
                w.WriteStartArray("stackTrace");
                foreach (var line in StackLines(inner)) w.WriteStringValue(line);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return bytes.WrittenSpan.ToArray();
    }

    /// <summary>Reports the exception that matters, not a wrapper around a single one.</summary>
    private static Exception Unwrap(Exception exception)
    {
        var ex = exception;
        while (ex is AggregateException { InnerExceptions.Count: 1 } or System.Reflection.TargetInvocationException && ex.InnerException is not null)
            ex = ex.InnerException;
        return ex;
    }

    private static string[] StackLines(Exception ex) =>
        (ex.StackTrace ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

using System.Text;
using System.Text.Json;

namespace Pipelines.LocalCloud.RuntimeApi;

public enum InvokeStatus
{
    /// <summary>The function posted a response; <see cref="InvokeResult.Payload"/> is it.</summary>
    Ok,
    /// <summary>The function posted an error, failed init, crashed or answered too much; the payload is the error JSON.</summary>
    FunctionError,
    /// <summary>No answer before the deadline; the process was stopped (Lambda's "Task timed out").</summary>
    Timeout,
}

/// <summary>
/// What one invocation through the loopback Runtime API produced. For errors, <see cref="Payload"/> is the error JSON
/// as Lambda's Invoke API returns it (<c>{"errorType","errorMessage","stackTrace"}</c>).
/// </summary>
public sealed record InvokeResult(string RequestId, InvokeStatus Status, byte[] Payload, string? ErrorType, string? ErrorMessage, TimeSpan Duration)
{
    /// <summary><see cref="System.Diagnostics.Stopwatch"/> timestamp of when the answer arrived (cold-start measurements).</summary>
    public long CompletedTimestamp { get; init; } = System.Diagnostics.Stopwatch.GetTimestamp();

    public bool IsSuccess => Status == InvokeStatus.Ok;

    public string PayloadText => Encoding.UTF8.GetString(Payload);

    internal static InvokeResult FromError(string requestId, byte[] errorJson, string? headerErrorType, TimeSpan duration)
    {
        string? type = null, message = null;
        try
        {
            using var doc = JsonDocument.Parse(errorJson);
            if (doc.RootElement.ValueKind == JsonValueKind.Object)
            {
                if (doc.RootElement.TryGetProperty("errorType", out var t) && t.ValueKind == JsonValueKind.String) type = t.GetString();
                if (doc.RootElement.TryGetProperty("errorMessage", out var m) && m.ValueKind == JsonValueKind.String) message = m.GetString();
            }
        }
        catch (JsonException)
        {
            message = Encoding.UTF8.GetString(errorJson);
        }
        return new InvokeResult(requestId, InvokeStatus.FunctionError, errorJson, type ?? headerErrorType ?? "Unhandled", message, duration);
    }

    /// <summary>An error the platform raises itself (timeout, crash, oversized response), shaped like Lambda's.</summary>
    internal static InvokeResult Platform(string requestId, InvokeStatus status, string errorType, string errorMessage, TimeSpan duration)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["errorType"] = errorType,
            ["errorMessage"] = errorMessage,
        });
        return new InvokeResult(requestId, status, json, errorType, errorMessage, duration);
    }
}

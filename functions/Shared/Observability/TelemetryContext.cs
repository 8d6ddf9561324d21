using Pipelines.Shared.Runtime;

namespace Pipelines.Shared.Observability;

/// <summary>
/// Who is logging: function name/version from the Lambda environment, and the current invocation (request id,
/// trace id, cold start), which the runtime loop sets around each invocation. One invocation runs at a time per
/// process, so this is plain process-wide state, not AsyncLocal.
/// </summary>
public static class TelemetryContext
{
    private static volatile Invocation? _current;

    public static string FunctionName { get; set; } = Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME") ?? "";
    public static string FunctionVersion { get; set; } = Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_VERSION") ?? "";

    public static string? RequestId => _current?.RequestId;
    public static string? TraceId => _current?.TraceId;
    public static bool? IsColdStart => _current?.ColdStart;

    public static void BeginInvocation(ILambdaContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _current = new Invocation(context.AwsRequestId, context.TraceId, context.IsColdStart);
    }

    public static void EndInvocation() => _current = null;

    private sealed record Invocation(string RequestId, string? TraceId, bool ColdStart);
}

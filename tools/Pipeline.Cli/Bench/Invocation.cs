using Pipelines.Shared.Observability;
using Pipelines.Shared.Runtime;

namespace Pipelines.Cli.Bench;

/// <summary>
/// Invokes a handler the way the runtime loop does for one Lambda invocation: a context with a deadline, the payload as
/// a MemoryStream over the received bytes, the response written to a reused buffer, metrics flushed afterwards.
/// </summary>
internal static class Invocation
{
    /// <summary>Lambda's longest timeout: benchmarks measure speed, not the function's deadline handling.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(15);

    public static async Task InvokeAsync(IStreamHandler handler, string functionName, int memoryMb, byte[] payload, MemoryStream output, int sequence)
    {
        var context = new LambdaContext
        {
            AwsRequestId = $"bench-{sequence:D8}",
            FunctionName = functionName,
            MemoryLimitInMB = memoryMb,
            InvokedFunctionArn = $"arn:aws:lambda:us-east-1:123456789012:function:{functionName}",
            Deadline = DateTimeOffset.UtcNow + Deadline,
        };
        TelemetryContext.BeginInvocation(context);
        output.SetLength(0);
        try
        {
            using var input = new MemoryStream(payload, 0, payload.Length, writable: false, publiclyVisible: true);
            await handler.HandleAsync(input, output, context, CancellationToken.None);
        }
        finally
        {
            Metrics.Flush();
            TelemetryContext.EndInvocation();
        }
    }
}

namespace Pipelines.Shared.Runtime;

/// <summary>
/// The invocation context the runtime loop builds from the Runtime API headers. Tests and benchmarks construct it
/// directly: <c>new LambdaContext { AwsRequestId = "r1", Deadline = DateTimeOffset.UtcNow.AddMinutes(1) }</c>.
/// </summary>
public sealed class LambdaContext : ILambdaContext
{
    public string AwsRequestId { get; init; } = "";
    public string FunctionName { get; init; } = "";
    public string FunctionVersion { get; init; } = "$LATEST";
    public string InvokedFunctionArn { get; init; } = "";
    public int MemoryLimitInMB { get; init; } = 128;
    public string? TraceId { get; init; }
    public DateTimeOffset Deadline { get; init; } = DateTimeOffset.MaxValue;
    public bool IsColdStart { get; init; }

    /// <summary>Time left before Lambda stops the invocation; never negative.</summary>
    public TimeSpan RemainingTime
    {
        get
        {
            if (Deadline == DateTimeOffset.MaxValue) return TimeSpan.MaxValue;
            var left = Deadline - DateTimeOffset.UtcNow;
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
    }
}

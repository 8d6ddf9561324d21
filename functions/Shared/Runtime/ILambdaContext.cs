namespace Pipelines.Shared.Runtime;

/// <summary>What one invocation knows about itself (mirrors Amazon.Lambda.Core.ILambdaContext).</summary>
public interface ILambdaContext
{
    string AwsRequestId { get; }
    string FunctionName { get; }
    string FunctionVersion { get; }
    string InvokedFunctionArn { get; }
    int MemoryLimitInMB { get; }
    string? TraceId { get; }
    /// <summary>Wall-clock instant the invocation times out (from Lambda-Runtime-Deadline-Ms).</summary>
    DateTimeOffset Deadline { get; }
    TimeSpan RemainingTime { get; }
    /// <summary>True for the first invocation served by this process.</summary>
    bool IsColdStart { get; }
}

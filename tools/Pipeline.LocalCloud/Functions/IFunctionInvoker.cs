namespace Pipelines.LocalCloud.Functions;

/// <summary>Invokes a function synchronously (RequestResponse), the way event source mappings and Firehose do.</summary>
public interface IFunctionInvoker
{
    Task<InvocationResult> InvokeAsync(string functionName, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken);
}

/// <summary>
/// What an invocation returned: the response payload, or a function error (the runtime reported one, the process
/// crashed, or it ran past its timeout) with AWS's <c>X-Amz-Function-Error: Unhandled</c> meaning.
/// </summary>
public sealed record InvocationResult(
    string RequestId,
    bool IsFunctionError,
    ReadOnlyMemory<byte> Payload,
    string? ErrorType = null,
    string? ErrorMessage = null)
{
    public static InvocationResult Success(string requestId, ReadOnlyMemory<byte> payload) => new(requestId, false, payload);

    public static InvocationResult Error(string requestId, string errorType, string errorMessage) =>
        new(requestId, true, ReadOnlyMemory<byte>.Empty, errorType, errorMessage);
}

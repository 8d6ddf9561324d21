using Pipelines.Shared.Resilience;

namespace Pipelines.Shared.Aws;

/// <summary>An error an AWS service (or emulator) answered with, decoded from the JSON protocol's <c>__type</c>/<c>message</c>.</summary>
public sealed class AwsServiceException : Exception
{
    public AwsServiceException()
        : this("Unknown", 0, "AWS request failed.")
    {
    }

    public AwsServiceException(string message)
        : this("Unknown", 0, message)
    {
    }

    public AwsServiceException(string message, Exception innerException)
        : base(message, innerException)
    {
        ErrorCode = "Unknown";
    }

    public AwsServiceException(string errorCode, int statusCode, string message, string? requestId = null, string? operation = null)
        : base(message)
    {
        ErrorCode = errorCode;
        StatusCode = statusCode;
        RequestId = requestId;
        Operation = operation;
    }

    /// <summary>The error code without its namespace, e.g. <c>ResourceNotFoundException</c>.</summary>
    public string ErrorCode { get; }

    /// <summary>HTTP status of the response (0 when unknown).</summary>
    public int StatusCode { get; }

    public string? RequestId { get; }

    /// <summary>The service's own message text (the <c>message</c>/<c>Message</c> field), without our prefix.</summary>
    public string? ServiceMessage { get; init; }

    /// <summary>The operation that failed, e.g. <c>Kinesis_20131202.PutRecords</c>.</summary>
    public string? Operation { get; }

    public bool IsThrottling => StatusCode == 429 || TransientErrors.IsThrottlingCode(ErrorCode);

    /// <summary>Throttling or a service-side fault: the same request may succeed later.</summary>
    public bool IsTransient =>
        IsThrottling || TransientErrors.IsServerFaultCode(ErrorCode) || TransientErrors.IsTransientStatus(StatusCode);
}

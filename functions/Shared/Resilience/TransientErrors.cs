using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using Pipelines.Shared.Aws;

namespace Pipelines.Shared.Resilience;

/// <summary>Decides whether a failure may succeed if simply tried again (throttling, server errors, network, timeouts).</summary>
public static class TransientErrors
{
    // Error codes AWS services use for "slow down" (union of what the AWS SDKs treat as throttling).
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
        "TooManyRequestsException", "ProvisionedThroughputExceededException", "TransactionInProgressException",
        "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException", "RequestThrottled",
        "SlowDown", "PriorRequestNotComplete", "EC2ThrottledException", "KMSThrottlingException",
        "ThrottlingError", "AWS.SimpleQueueService.RequestThrottled",
    };

    // Error codes that mean "the service failed, not your request".
    private static readonly HashSet<string> ServerFaultCodes = new(StringComparer.Ordinal)
    {
        "InternalFailure", "InternalError", "InternalServerError", "InternalServiceError", "InternalServerException",
        "ServiceUnavailable", "ServiceUnavailableException", "RequestTimeout", "RequestTimeoutException",
        "KMSInternalException", "IDPCommunicationError",
    };

    /// <summary>True when <paramref name="errorCode"/> (without any <c>namespace#</c> prefix) is a throttling code.</summary>
    public static bool IsThrottlingCode(string? errorCode) => errorCode is not null && ThrottlingCodes.Contains(errorCode);

    /// <summary>True when <paramref name="errorCode"/> names a service-side fault.</summary>
    public static bool IsServerFaultCode(string? errorCode) => errorCode is not null && ServerFaultCodes.Contains(errorCode);

    /// <summary>True for HTTP statuses that are worth retrying: 429 and every 5xx except 501 Not Implemented.</summary>
    public static bool IsTransientStatus(int statusCode) =>
        statusCode == 429 || (statusCode >= 500 && statusCode != 501 && statusCode <= 599);

    /// <summary>
    /// Classifies <paramref name="exception"/>. A cancellation counts as transient only when it is a timeout, i.e. it
    /// carries a <see cref="TimeoutException"/> (what HttpClient throws on its own timeout).
    /// </summary>
    public static bool IsTransient(Exception exception) => IsTransient(exception, callerToken: null);

    /// <summary>
    /// Classifies <paramref name="exception"/>, treating a cancellation as a timeout (transient) unless
    /// <paramref name="callerToken"/> — the caller's own token — asked for it.
    /// </summary>
    public static bool IsTransient(Exception exception, CancellationToken callerToken) => IsTransient(exception, (CancellationToken?)callerToken);

    private static bool IsTransient(Exception exception, CancellationToken? callerToken)
    {
        ArgumentNullException.ThrowIfNull(exception);
        switch (exception)
        {
            case AwsServiceException aws:
                return aws.IsTransient;
            case AmazonServiceException sdk:
                return IsTransientSdkError(sdk, callerToken);
            case TimeoutException:
            case HttpRequestException:
            case IOException:
            case SocketException:
                return true;
            case OperationCanceledException canceled:
                if (HasInner<TimeoutException>(canceled))
                {
                    return true;
                }

                return callerToken is { } token && !token.IsCancellationRequested;
            case AmazonClientException client:
                // The SDK wraps network failures (and its own timeouts) in a client exception.
                return client.InnerException is { } inner && IsTransient(inner, callerToken);
            case AggregateException aggregate when aggregate.InnerExceptions.Count == 1:
                return IsTransient(aggregate.InnerExceptions[0], callerToken);
            default:
                return false;
        }
    }

    private static bool IsTransientSdkError(AmazonServiceException sdk, CancellationToken? callerToken)
    {
        if (IsThrottlingCode(sdk.ErrorCode) || IsServerFaultCode(sdk.ErrorCode))
        {
            return true;
        }

        if (sdk.Retryable is not null)
        {
            return true;
        }

        var status = (int)sdk.StatusCode;
        if (IsTransientStatus(status))
        {
            return true;
        }

        // No HTTP status at all means the request never got an answer: look at what failed underneath.
        return sdk.StatusCode == default(HttpStatusCode) && sdk.InnerException is { } inner && IsTransient(inner, callerToken);
    }

    private static bool HasInner<T>(Exception exception)
        where T : Exception
    {
        for (var current = exception.InnerException; current is not null; current = current.InnerException)
        {
            if (current is T)
            {
                return true;
            }
        }

        return false;
    }
}

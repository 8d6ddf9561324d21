using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Pipelines.Shared.Observability;
using Pipelines.Shared.Resilience;

namespace Pipelines.Shared.Aws;

/// <summary>
/// The AWS JSON protocol: <c>POST /</c> with <c>X-Amz-Target: &lt;prefix&gt;.&lt;operation&gt;</c> and a JSON body,
/// SigV4-signed; errors become <see cref="AwsServiceException"/>; transient failures are retried per
/// <see cref="AwsClientOptions.Retry"/>.
/// </summary>
public sealed class AwsJsonClient
{
    private readonly HttpClient http;
    private readonly MediaTypeHeaderValue contentType;
    private readonly JsonPostSigner? signer;

    /// <param name="targetPrefix">e.g. <c>Kinesis_20131202</c>, <c>AmazonSQS</c>, <c>AmazonSSM</c>.</param>
    /// <param name="jsonVersion"><c>1.0</c> or <c>1.1</c> (the <c>application/x-amz-json-*</c> content type).</param>
    public AwsJsonClient(AwsClientOptions options, string targetPrefix, string jsonVersion)
        : this(options, targetPrefix, jsonVersion, AwsHttp.Shared)
    {
    }

    /// <summary>The same over a given <see cref="HttpClient"/> (an in-memory handler in tests and benchmarks).</summary>
    public AwsJsonClient(AwsClientOptions options, string targetPrefix, string jsonVersion, HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(targetPrefix);
        ArgumentException.ThrowIfNullOrWhiteSpace(jsonVersion);
        ArgumentNullException.ThrowIfNull(httpClient);
        Options = options;
        TargetPrefix = targetPrefix;
        http = httpClient;
        contentType = new MediaTypeHeaderValue("application/x-amz-json-" + jsonVersion);
        signer = JsonPostSigner.Handles(options.Endpoint) ? new JsonPostSigner(options.Endpoint, contentType.ToString()) : null;
    }

    public AwsClientOptions Options { get; }

    public string TargetPrefix { get; }

    /// <summary>Sends one operation; <paramref name="attemptTimeout"/> overrides the per-attempt limit (long polls).</summary>
    public Task<TResponse> SendAsync<TRequest, TResponse>(
        string operation,
        TRequest request,
        JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType,
        CancellationToken cancellationToken,
        TimeSpan? attemptTimeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operation);
        ArgumentNullException.ThrowIfNull(requestType);
        ArgumentNullException.ThrowIfNull(responseType);
        var body = JsonSerializer.SerializeToUtf8Bytes(request, requestType);
        var target = TargetPrefix + "." + operation;
        var timeout = attemptTimeout ?? Options.AttemptTimeout;
        var retry = Options.Retry;
        var callerOnRetry = retry.OnRetry;
        retry = retry with
        {
            // Operators should see throttling and flaky endpoints in the logs even when a retry then succeeds.
            OnRetry = (attempt, error, wait) =>
            {
                Log.Warn(
                    "Retrying AWS call",
                    new LogField("operation", target),
                    new LogField("attempt", attempt),
                    new LogField("error", error is AwsServiceException aws ? aws.ErrorCode : error.GetType().Name),
                    new LogField("waitMs", (long)wait.TotalMilliseconds));
                callerOnRetry?.Invoke(attempt, error, wait);
            },
        };
        return Retry.ExecuteAsync(ct => SendOnceAsync(target, body, responseType, timeout, ct), retry, cancellationToken);
    }

    /// <summary>
    /// Sends one operation whose JSON body the caller wrote itself (e.g. a large request written straight from its
    /// source bytes) and returns the response body, once: no retries, so a caller that reshapes the request between
    /// tries (DynamoDB's UnprocessedItems) runs its own loop. Errors are thrown as by <see cref="SendAsync"/>.
    /// </summary>
    public Task<byte[]> SendRawOnceAsync(
        string operation, ReadOnlyMemory<byte> body, CancellationToken cancellationToken, TimeSpan? attemptTimeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(operation);
        return SendBytesOnceAsync(TargetPrefix + "." + operation, body, attemptTimeout ?? Options.AttemptTimeout, cancellationToken);
    }

    private async Task<TResponse> SendOnceAsync<TResponse>(
        string target, byte[] body, JsonTypeInfo<TResponse> responseType, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var responseBody = await SendBytesOnceAsync(target, body, timeout, cancellationToken).ConfigureAwait(false);
        try
        {
            // Some operations (DeleteStream, DeleteMessage) answer with an empty body.
            ReadOnlySpan<byte> json = responseBody.Length == 0 ? "{}"u8 : responseBody;
            return JsonSerializer.Deserialize(json, responseType)
                   ?? throw new AwsServiceException("InvalidResponse", 200, $"{target} returned 'null'.");
        }
        catch (JsonException ex)
        {
            throw new AwsServiceException("InvalidResponse", 200, $"{target} returned JSON that does not match its contract: {ex.Message}");
        }
    }

    /// <summary>One signed POST; returns the body of a 2xx answer, throws the decoded error of any other.</summary>
    private async Task<byte[]> SendBytesOnceAsync(string target, ReadOnlyMemory<byte> body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Options.Endpoint);
            request.Content = new ReadOnlyMemoryContent(body);
            request.Content.Headers.ContentType = contentType;
            request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
            if (signer is not null)
                signer.Sign(request, target, body.Span, Options.Credentials, Options.Region, Options.Service.SigningName, DateTimeOffset.UtcNow);
            else
                SigV4Signer.SignHttpRequest(
                    request, body.Span, Options.Credentials, Options.Region, Options.Service.SigningName, DateTimeOffset.UtcNow);

            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, attempt.Token)
                .ConfigureAwait(false);
            var responseBody = await response.Content.ReadAsByteArrayAsync(attempt.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw AwsErrorDecoder.Decode(target, (int)response.StatusCode, response.Headers, responseBody);
            }

            return responseBody;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Our own per-attempt deadline fired, not the caller's token: report it as the (retryable) timeout it is.
            throw new TimeoutException($"{target} to {Options.Endpoint} did not answer within {timeout.TotalSeconds:0.#} s.", ex);
        }
    }
}

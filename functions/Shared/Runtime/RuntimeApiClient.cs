using System.Globalization;
using System.Net;
using System.Net.Http.Headers;

namespace Pipelines.Shared.Runtime;

/// <summary>
/// The HTTP side of the Lambda Runtime API (2018-06-01): one keep-alive connection, no proxy, no client timeout
/// (the <c>next</c> call blocks until an invocation arrives, possibly for hours while the sandbox is frozen).
/// </summary>
internal sealed class RuntimeApiClient : IDisposable
{
    private const string FunctionErrorTypeHeader = "Lambda-Runtime-Function-Error-Type";

    private readonly HttpClient _http;
    private readonly string _base;

    public RuntimeApiClient(string runtimeApi, HttpMessageHandler? handler = null)
    {
        _base = $"http://{runtimeApi}/2018-06-01/runtime/";
        _http = new HttpClient(handler ?? new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>Waits for the next invocation and reads its payload into <paramref name="payload"/>.</summary>
    public async Task<NextInvocation> NextAsync(PooledBufferStream payload, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(_base + "invocation/next", HttpCompletionOption.ResponseHeadersRead, cancellationToken)
            .ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new RuntimeApiException($"GET invocation/next returned {(int)response.StatusCode} {response.ReasonPhrase}");

        payload.Reset();
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            // With a Content-Length, read exactly that much into one right-sized buffer; otherwise grow as data comes.
            var expected = response.Content.Headers.ContentLength is { } len ? (int)Math.Min(len, int.MaxValue) : -1;
            while (expected < 0 || payload.Length < expected)
            {
                var want = expected < 0 ? 64 * 1024 : expected - (int)payload.Length;
                var read = await stream.ReadAsync(payload.GetMemory(want), cancellationToken).ConfigureAwait(false);
                if (read == 0) break;
                payload.Advance(read);
            }
        }

        var headers = response.Headers;
        return new NextInvocation(
            RequestId: Header(headers, "Lambda-Runtime-Aws-Request-Id") ?? throw new RuntimeApiException("invocation/next had no Lambda-Runtime-Aws-Request-Id"),
            DeadlineMs: long.TryParse(Header(headers, "Lambda-Runtime-Deadline-Ms"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) ? ms : (long?)null,
            InvokedFunctionArn: Header(headers, "Lambda-Runtime-Invoked-Function-Arn"),
            TraceId: Header(headers, "Lambda-Runtime-Trace-Id"));
    }

    public Task PostResponseAsync(string requestId, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        PostAsync($"invocation/{requestId}/response", body, null, cancellationToken);

    public Task PostErrorAsync(string requestId, byte[] errorJson, string errorType, CancellationToken cancellationToken) =>
        PostAsync($"invocation/{requestId}/error", errorJson, errorType, cancellationToken);

    public Task PostInitErrorAsync(byte[] errorJson, string errorType, CancellationToken cancellationToken) =>
        PostAsync("init/error", errorJson, errorType, cancellationToken);

    private async Task PostAsync(string path, ReadOnlyMemory<byte> body, string? errorType, CancellationToken cancellationToken)
    {
        using var content = new ReadOnlyMemoryContent(body);
        if (errorType is not null) content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, _base + path) { Content = content };
        if (errorType is not null) request.Headers.TryAddWithoutValidation(FunctionErrorTypeHeader, errorType);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestEntityTooLarge)
            throw new ResponseSizeTooLargeException($"The Runtime API rejected the {body.Length}-byte payload as too large.");
        if (!response.IsSuccessStatusCode)
            throw new RuntimeApiException($"POST {path} returned {(int)response.StatusCode} {response.ReasonPhrase}");
    }

    private static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    public void Dispose() => _http.Dispose();
}

internal readonly record struct NextInvocation(string RequestId, long? DeadlineMs, string? InvokedFunctionArn, string? TraceId);

/// <summary>The Runtime API itself misbehaved (unexpected status, missing headers): the process should exit.</summary>
public sealed class RuntimeApiException : Exception
{
    public RuntimeApiException() { }
    public RuntimeApiException(string message) : base(message) { }
    public RuntimeApiException(string message, Exception innerException) : base(message, innerException) { }
}

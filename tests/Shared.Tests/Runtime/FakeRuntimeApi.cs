using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;

namespace Pipelines.Tests.Shared.Runtime;

/// <summary>
/// A loopback stand-in for the Lambda Runtime API (2018-06-01): queued invocations are handed out on
/// GET /invocation/next with the real headers; /response, /error and /init/error are recorded for assertions.
/// </summary>
internal sealed class FakeRuntimeApi : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();
    private readonly ConcurrentDictionary<string, Pending> _inFlight = new();
    private readonly TaskCompletionSource<Reported> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _serving;
    private int _counter;

    public string Address { get; }

    /// <summary>Status code GET /next answers with instead of an invocation (simulates a broken Runtime API).</summary>
    public int? NextFailsWith { get; set; }

    public Task<Reported> InitError => _initError.Task;

    private FakeRuntimeApi(int port)
    {
        Address = $"127.0.0.1:{port}";
        _listener.Prefixes.Add($"http://{Address}/");
        _listener.Start();
        _serving = Task.Run(ServeAsync);
    }

    public static FakeRuntimeApi Start()
    {
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            try { return new FakeRuntimeApi(port); }
            catch (HttpListenerException) when (attempt < 5) { }
        }
    }

    /// <summary>Queues one invocation and returns what the function reported for it.</summary>
    public Task<Reported> InvokeAsync(byte[] payload, DateTimeOffset? deadline = null, string? traceId = null, string? requestId = null)
    {
        var id = requestId ?? $"req-{Interlocked.Increment(ref _counter):D4}";
        var pending = new Pending(id, payload, deadline ?? DateTimeOffset.UtcNow.AddMinutes(1), traceId);
        _queue.Writer.TryWrite(pending);
        return pending.Result.Task;
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext ctx;
            try { ctx = await _listener.GetContextAsync().ConfigureAwait(false); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            catch (HttpListenerException) { return; }
            catch (ObjectDisposedException) { return; }
            _ = Task.Run(() => HandleAsync(ctx));
        }
    }

    private async Task HandleAsync(HttpListenerContext ctx)
    {
        var path = ctx.Request.Url!.AbsolutePath;
        const string prefix = "/2018-06-01/runtime/";
        try
        {
            if (ctx.Request.HttpMethod == "GET" && path == prefix + "invocation/next")
            {
                if (NextFailsWith is { } status)
                {
                    ctx.Response.StatusCode = status;
                    ctx.Response.Close();
                    return;
                }
                var next = await _queue.Reader.ReadAsync(_stop.Token).ConfigureAwait(false);
                _inFlight[next.RequestId] = next;
                ctx.Response.StatusCode = 200;
                ctx.Response.Headers["Lambda-Runtime-Aws-Request-Id"] = next.RequestId;
                ctx.Response.Headers["Lambda-Runtime-Deadline-Ms"] = next.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
                ctx.Response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = "arn:aws:lambda:us-east-1:123456789012:function:fake-fn";
                if (next.TraceId is not null) ctx.Response.Headers["Lambda-Runtime-Trace-Id"] = next.TraceId;
                ctx.Response.ContentType = "application/json";
                ctx.Response.ContentLength64 = next.Payload.Length;
                await ctx.Response.OutputStream.WriteAsync(next.Payload).ConfigureAwait(false);
                ctx.Response.Close();
                return;
            }
            if (ctx.Request.HttpMethod == "POST")
            {
                var body = await ReadBodyAsync(ctx.Request).ConfigureAwait(false);
                var errorType = ctx.Request.Headers["Lambda-Runtime-Function-Error-Type"];
                if (path == prefix + "init/error")
                {
                    _initError.TrySetResult(new Reported(ReportKind.InitError, "", body, errorType));
                    Accept(ctx);
                    return;
                }
                var rest = path.StartsWith(prefix + "invocation/", StringComparison.Ordinal) ? path[(prefix.Length + "invocation/".Length)..] : "";
                var slash = rest.IndexOf('/', StringComparison.Ordinal);
                if (slash > 0 && _inFlight.TryRemove(rest[..slash], out var pending))
                {
                    var kind = rest[(slash + 1)..] == "response" ? ReportKind.Response : ReportKind.Error;
                    Accept(ctx);
                    pending.Result.TrySetResult(new Reported(kind, pending.RequestId, body, errorType));
                    return;
                }
            }
            ctx.Response.StatusCode = 404;
            ctx.Response.Close();
        }
        catch (OperationCanceledException)
        {
            ctx.Response.Abort();
        }
    }

    private static void Accept(HttpListenerContext ctx)
    {
        ctx.Response.StatusCode = 202;
        ctx.Response.Close();
    }

    private static async Task<byte[]> ReadBodyAsync(HttpListenerRequest request)
    {
        using var ms = new MemoryStream();
        await request.InputStream.CopyToAsync(ms).ConfigureAwait(false);
        return ms.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Close();
        try { await _serving.ConfigureAwait(false); } catch (ObjectDisposedException) { }
        _stop.Dispose();
    }

    private sealed record Pending(string RequestId, byte[] Payload, DateTimeOffset Deadline, string? TraceId)
    {
        public TaskCompletionSource<Reported> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

internal enum ReportKind { Response, Error, InitError }

internal sealed record Reported(ReportKind Kind, string RequestId, byte[] Body, string? ErrorTypeHeader)
{
    public string Text => System.Text.Encoding.UTF8.GetString(Body);
}

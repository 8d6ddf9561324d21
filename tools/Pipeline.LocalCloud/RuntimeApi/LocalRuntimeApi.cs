using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Pipelines.LocalCloud.RuntimeApi;

/// <summary>
/// A loopback Lambda Runtime API (2018-06-01) for one execution environment: <see cref="InvokeAsync"/> queues an
/// invocation, the function process takes it with GET /runtime/invocation/next (long poll) and answers on
/// /response or /error; init failures arrive on /runtime/init/error. Binds 127.0.0.1 on a free port; give
/// <see cref="Address"/> to the function as AWS_LAMBDA_RUNTIME_API.
/// </summary>
public sealed class LocalRuntimeApi : IAsyncDisposable
{
    /// <summary>Lambda's synchronous response limit; a bigger response fails the invocation.</summary>
    public const int MaxResponseBytes = 6 * 1024 * 1024;

    private const string Prefix = "/2018-06-01/runtime/";
    private readonly WebApplication _app;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false });
    private readonly ConcurrentDictionary<string, Pending> _inFlight = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Pending> _outstanding = new(StringComparer.Ordinal);
    private int _pollers;

    public string FunctionName { get; }

    /// <summary>host:port, the value for AWS_LAMBDA_RUNTIME_API.</summary>
    public string Address { get; private set; } = "";

    public string FunctionArn { get; }

    /// <summary>The last error body the function posted to /runtime/init/error (null when init never failed).</summary>
    public byte[]? LastInitError { get; private set; }

    /// <summary>Raised when the function reports an init failure (body = error JSON).</summary>
    public event Action<byte[]>? InitErrorReported;

    /// <summary>Raised when a function process asks for its next invocation (it finished init or its previous invocation).</summary>
    public event Action? FunctionPolled;

    /// <summary>True while a function process is waiting on GET /next, i.e. it is initialised and idle.</summary>
    public bool IsFunctionWaiting => Volatile.Read(ref _pollers) > 0;

    private LocalRuntimeApi(string functionName, WebApplication app)
    {
        FunctionName = functionName;
        FunctionArn = $"arn:aws:lambda:us-east-1:000000000000:function:{functionName}";
        _app = app;
    }

    public static async Task<LocalRuntimeApi> StartAsync(string functionName, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0);
            k.AddServerHeader = false;
            // Let oversized responses arrive so they can be failed the way Lambda fails them, rather than cut off.
            k.Limits.MaxRequestBodySize = 4L * MaxResponseBytes;
            k.Limits.KeepAliveTimeout = TimeSpan.FromDays(1);
        });
        var app = builder.Build();
        var api = new LocalRuntimeApi(functionName, app);
        app.Run(api.HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        api.Address = new Uri(address).Authority;
        return api;
    }

    /// <summary>
    /// Queues one invocation and waits for the function's answer, at most <paramref name="timeout"/> (which is also the
    /// deadline the function sees). Cancelling <paramref name="cancellationToken"/> abandons the wait, not the invocation.
    /// </summary>
    public async Task<InvokeResult> InvokeAsync(ReadOnlyMemory<byte> payload, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var pending = new Pending(Guid.NewGuid().ToString(), payload, DateTimeOffset.UtcNow + timeout, NewTraceId());
        _outstanding[pending.RequestId] = pending;
        await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        try
        {
            return await pending.Result.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var seconds = timeout.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
            Complete(pending, InvokeResult.Platform(pending.RequestId, InvokeStatus.Timeout, "Sandbox.Timedout",
                $"RequestId: {pending.RequestId} Error: Task timed out after {seconds} seconds", pending.Elapsed));
            return await pending.Result.Task.ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Fails every queued and in-flight invocation (the function process exited); uses the reported init error
    /// when there is one, as Lambda does.
    /// </summary>
    public void FailOutstanding(string errorType, string errorMessage)
    {
        foreach (var pending in _outstanding.Values)
        {
            var init = LastInitError;
            Complete(pending, init is not null
                ? InvokeResult.FromError(pending.RequestId, init, null, pending.Elapsed)
                : InvokeResult.Platform(pending.RequestId, InvokeStatus.FunctionError, errorType,
                    $"RequestId: {pending.RequestId} Error: {errorMessage}", pending.Elapsed));
        }
    }

    /// <summary>Forgets the last init error (before a restart).</summary>
    public void ClearInitError() => LastInitError = null;

    private void Complete(Pending pending, InvokeResult result)
    {
        if (pending.Result.TrySetResult(result))
        {
            _outstanding.TryRemove(pending.RequestId, out _);
            _inFlight.TryRemove(pending.RequestId, out _);
        }
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "";
        var method = ctx.Request.Method;
        if (!path.StartsWith(Prefix, StringComparison.Ordinal))
        {
            ctx.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var route = path[Prefix.Length..];
        if (HttpMethods.IsGet(method) && route == "invocation/next")
        {
            await NextAsync(ctx).ConfigureAwait(false);
            return;
        }
        if (!HttpMethods.IsPost(method))
        {
            ctx.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }
        if (route == "init/error")
        {
            var body = await ReadBodyAsync(ctx, MaxResponseBytes).ConfigureAwait(false) ?? [];
            LastInitError = body;
            InitErrorReported?.Invoke(body);
            ctx.Response.StatusCode = StatusCodes.Status202Accepted;
            return;
        }
        // invocation/{requestId}/response | invocation/{requestId}/error
        var parts = route.Split('/');
        if (parts.Length != 3 || parts[0] != "invocation" || parts[2] is not ("response" or "error"))
        {
            ctx.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        if (!_inFlight.TryGetValue(parts[1], out var pending))
        {
            // Unknown, already answered, or timed out: the real API answers 400 InvalidRequestID... keep the function going.
            ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        var payload = await ReadBodyAsync(ctx, MaxResponseBytes).ConfigureAwait(false);
        if (payload is null)
        {
            Complete(pending, InvokeResult.Platform(pending.RequestId, InvokeStatus.FunctionError, "Function.ResponseSizeTooLarge",
                $"Response payload size exceeded maximum allowed payload size ({MaxResponseBytes} bytes).", pending.Elapsed));
            ctx.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return;
        }
        Complete(pending, parts[2] == "response"
            ? new InvokeResult(pending.RequestId, InvokeStatus.Ok, payload, null, null, pending.Elapsed)
            : InvokeResult.FromError(pending.RequestId, payload, ctx.Request.Headers["Lambda-Runtime-Function-Error-Type"].FirstOrDefault(), pending.Elapsed));
        ctx.Response.StatusCode = StatusCodes.Status202Accepted;
    }

    private async Task NextAsync(HttpContext ctx)
    {
        Interlocked.Increment(ref _pollers);
        Pending pending;
        try
        {
            FunctionPolled?.Invoke();
            do
            {
                pending = await _queue.Reader.ReadAsync(ctx.RequestAborted).ConfigureAwait(false);
            }
            while (pending.Result.Task.IsCompleted); // timed out or failed while queued
        }
        catch (OperationCanceledException)
        {
            return; // the function process went away while waiting
        }
        finally
        {
            Interlocked.Decrement(ref _pollers);
        }

        _inFlight[pending.RequestId] = pending;
        var headers = ctx.Response.Headers;
        headers["Lambda-Runtime-Aws-Request-Id"] = pending.RequestId;
        headers["Lambda-Runtime-Deadline-Ms"] = pending.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        headers["Lambda-Runtime-Invoked-Function-Arn"] = FunctionArn;
        headers["Lambda-Runtime-Trace-Id"] = pending.TraceId;
        ctx.Response.ContentType = "application/json";
        ctx.Response.ContentLength = pending.Payload.Length;
        await ctx.Response.Body.WriteAsync(pending.Payload, ctx.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The request body, or null when it is larger than <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext ctx, int limit)
    {
        if (ctx.Request.ContentLength > limit) return null;
        using var buffer = new MemoryStream(ctx.Request.ContentLength is { } n ? (int)n : 4096);
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = await ctx.Request.Body.ReadAsync(chunk, ctx.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }

    /// <summary>An X-Ray trace header of the shape Lambda passes: Root=1-&lt;epoch hex&gt;-&lt;96-bit id&gt;;Parent=...;Sampled=0.</summary>
    private static string NewTraceId()
    {
        var epoch = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString("x8", CultureInfo.InvariantCulture);
        return $"Root=1-{epoch}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))};" +
               $"Parent={Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))};Sampled=0";
    }

    public async ValueTask DisposeAsync()
    {
        FailOutstanding("Runtime.Shutdown", "the local Runtime API was stopped");
        await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private sealed class Pending(string requestId, ReadOnlyMemory<byte> payload, DateTimeOffset deadline, string traceId)
    {
        private readonly long _started = Stopwatch.GetTimestamp();
        public string RequestId { get; } = requestId;
        public ReadOnlyMemory<byte> Payload { get; } = payload;
        public DateTimeOffset Deadline { get; } = deadline;
        public string TraceId { get; } = traceId;
        public TaskCompletionSource<InvokeResult> Result { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started);
    }
}

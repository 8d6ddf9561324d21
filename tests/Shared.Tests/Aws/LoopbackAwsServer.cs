using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Pipelines.Tests.Shared.Aws;

/// <summary>A request the loopback server received, with what a test wants to look at.</summary>
internal sealed record ReceivedRequest(string Method, string Path, string? Target, string? ContentType, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string BodyText => Encoding.UTF8.GetString(Body);
}

/// <summary>An answer the loopback server sends: status, body and headers, after an optional delay.</summary>
internal sealed record ScriptedResponse(int Status, string Body, TimeSpan Delay = default, IReadOnlyDictionary<string, string>? Headers = null)
{
    public static ScriptedResponse Json(string body) => new(200, body);

    public static ScriptedResponse Error(int status, string body) => new(status, body);
}

/// <summary>
/// An HTTP server on 127.0.0.1 that plays AWS: it records every request and answers from a handler (by default from a
/// queue of scripted responses, then <c>{}</c>).
/// </summary>
internal sealed class LoopbackAwsServer : IAsyncDisposable
{
    private readonly HttpListener listener = new();
    private readonly ConcurrentQueue<ScriptedResponse> script = new();
    private readonly ConcurrentQueue<ReceivedRequest> received = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly Task loop;

    public LoopbackAwsServer(Func<ReceivedRequest, ScriptedResponse>? handler = null)
    {
        Handler = handler;
        Port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        loop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    public Uri Endpoint => new($"http://127.0.0.1:{Port}/");

    public Func<ReceivedRequest, ScriptedResponse>? Handler { get; set; }

    public IReadOnlyList<ReceivedRequest> Requests => [.. received];

    public void Enqueue(params ScriptedResponse[] responses)
    {
        foreach (var response in responses)
        {
            script.Enqueue(response);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        listener.Stop();
        listener.Close();
        try
        {
            await loop;
        }
        catch (ObjectDisposedException)
        {
        }

        stopping.Dispose();
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private async Task AcceptLoopAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }

            _ = Task.Run(() => ServeAsync(context));
        }
    }

    private async Task ServeAsync(HttpListenerContext context)
    {
        try
        {
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var headers = context.Request.Headers.AllKeys
                .Where(k => k is not null)
                .ToDictionary(k => k!, k => context.Request.Headers[k] ?? "", StringComparer.OrdinalIgnoreCase);
            var request = new ReceivedRequest(
                context.Request.HttpMethod,
                context.Request.Url?.AbsolutePath ?? "/",
                context.Request.Headers["X-Amz-Target"],
                context.Request.ContentType,
                headers,
                body.ToArray());
            received.Enqueue(request);

            var response = Handler?.Invoke(request)
                           ?? (script.TryDequeue(out var next) ? next : ScriptedResponse.Json("{}"));
            if (response.Delay > TimeSpan.Zero)
            {
                await Task.Delay(response.Delay, stopping.Token);
            }

            var bytes = Encoding.UTF8.GetBytes(response.Body);
            context.Response.StatusCode = response.Status;
            context.Response.ContentType = "application/x-amz-json-1.1";
            context.Response.Headers["x-amzn-RequestId"] = "req-" + received.Count;
            foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }

            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes, stopping.Token);
            context.Response.Close();
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            context.Response.Abort();
        }
        catch (HttpListenerException)
        {
            // The client gave up (e.g. its attempt timed out) before the answer was written.
        }
    }
}

using System.Runtime.InteropServices;
using Pipelines.Shared.Observability;

namespace Pipelines.Shared.Runtime;

/// <summary>
/// The custom-runtime (provided.al2023) main loop. A function's Program.cs is just
/// <c>return await LambdaBootstrap.RunAsync(ct =&gt; FunctionStartup.CreateHandlerAsync(ct));</c>
/// Init failures are reported to /runtime/init/error and end the process with exit code 1; handler exceptions
/// are reported to /invocation/{id}/error and the loop goes on. Metrics are flushed after every invocation.
/// </summary>
public static class LambdaBootstrap
{
    public const int ExitInitFailed = 1;
    public const int ExitMisconfigured = 2;
    public const int ExitRuntimeApiFailed = 3;

    public static async Task<int> RunAsync(Func<CancellationToken, Task<IStreamHandler>> initialize)
    {
        using var shutdown = new CancellationTokenSource();
        // Lambda sends SIGTERM before shutting a sandbox down (when extensions are registered): stop polling, exit 0.
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
        {
            ctx.Cancel = true;
            shutdown.Cancel();
        });
        return await RunAsync(initialize, LambdaBootstrapOptions.FromEnvironment(), shutdown.Token).ConfigureAwait(false);
    }

    /// <summary>Runs the loop until <paramref name="cancellationToken"/> fires (returns 0) or the Runtime API fails.</summary>
    public static async Task<int> RunAsync(
        Func<CancellationToken, Task<IStreamHandler>> initialize, LambdaBootstrapOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(initialize);
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.RuntimeApi))
        {
            await Console.Error.WriteLineAsync("AWS_LAMBDA_RUNTIME_API is not set: this program runs as a Lambda custom runtime " +
                "(locally: ./scripts/pipeline invoke <function> --event <file>).").ConfigureAwait(false);
            return ExitMisconfigured;
        }
        if (options.FunctionName.Length > 0) TelemetryContext.FunctionName = options.FunctionName;
        TelemetryContext.FunctionVersion = options.FunctionVersion;

        using var client = new RuntimeApiClient(options.RuntimeApi);
        IStreamHandler handler;
        try
        {
            handler = await initialize(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The initializer returned no handler.");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested || ex is not OperationCanceledException)
        {
            Log.Error("Function init failed", ex);
            try
            {
                await client.PostInitErrorAsync(ErrorPayload.Create(ex), ErrorPayload.ErrorType(ex), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception postError) when (postError is HttpRequestException or RuntimeApiException or IOException)
            {
                Log.Error("Could not report the init error to the Runtime API", postError);
            }
            Metrics.Flush();
            return ExitInitFailed;
        }
        catch (OperationCanceledException)
        {
            return 0;
        }

        var loop = new InvocationLoop(client, handler, options);
        return await loop.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    private sealed class InvocationLoop(RuntimeApiClient client, IStreamHandler handler, LambdaBootstrapOptions options)
    {
        public async Task<int> RunAsync(CancellationToken cancellationToken)
        {
            // The Runtime API enforces the request limit; a little headroom here keeps a read-ahead from tripping ours.
            using var input = new PooledBufferStream(64 * 1024, LambdaBootstrapOptions.MaxPayloadBytes + 1024 * 1024);
            using var output = new PooledBufferStream(64 * 1024, options.MaxResponseBytes);
            var coldStart = true;
            while (!cancellationToken.IsCancellationRequested)
            {
                NextInvocation next;
                try
                {
                    next = await client.NextAsync(input, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return 0;
                }
                catch (Exception ex) when (ex is HttpRequestException or RuntimeApiException or IOException or ResponseSizeTooLargeException)
                {
                    Log.Error("Runtime API next-invocation call failed", ex);
                    return ExitRuntimeApiFailed;
                }

                try
                {
                    await InvokeAsync(next, input, output, coldStart, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return 0;
                }
                catch (Exception ex) when (ex is HttpRequestException or RuntimeApiException or IOException)
                {
                    Log.Error("Runtime API call failed", ex);
                    return ExitRuntimeApiFailed;
                }
                coldStart = false;
            }
            return 0;
        }

        private async Task InvokeAsync(NextInvocation next, PooledBufferStream input, PooledBufferStream output, bool coldStart, CancellationToken stop)
        {
            Environment.SetEnvironmentVariable("_X_AMZN_TRACE_ID", next.TraceId);
            var context = new LambdaContext
            {
                AwsRequestId = next.RequestId,
                FunctionName = options.FunctionName,
                FunctionVersion = options.FunctionVersion,
                MemoryLimitInMB = options.MemoryLimitInMB,
                InvokedFunctionArn = next.InvokedFunctionArn ?? "",
                TraceId = next.TraceId,
                Deadline = next.DeadlineMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : DateTimeOffset.MaxValue,
                IsColdStart = coldStart,
            };
            TelemetryContext.BeginInvocation(context);
            output.Reset();
            Exception? failure = null;
            using (var invocationCts = CancellationTokenSource.CreateLinkedTokenSource(stop))
            {
                if (context.Deadline != DateTimeOffset.MaxValue) invocationCts.CancelAfter(context.RemainingTime);
                try
                {
                    using var payload = new MemoryStream(input.Buffer, 0, (int)input.Length, writable: false, publiclyVisible: true);
                    await handler.HandleAsync(payload, output, context, invocationCts.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stop.IsCancellationRequested)
                {
                    failure = ex;
                }
            }

            try
            {
                // Flush before answering, so the invocation's EMF lands before the next one starts.
                Metrics.Flush();
                if (failure is null)
                {
                    try
                    {
                        await client.PostResponseAsync(next.RequestId, output.WrittenMemory, stop).ConfigureAwait(false);
                        return;
                    }
                    catch (ResponseSizeTooLargeException tooLarge)
                    {
                        failure = tooLarge;
                    }
                }
                Log.Error("Invocation failed", failure);
                await client.PostErrorAsync(next.RequestId, ErrorPayload.Create(failure), ErrorPayload.ErrorType(failure), stop)
                    .ConfigureAwait(false);
            }
            finally
            {
                TelemetryContext.EndInvocation();
            }
        }
    }
}

using System.Collections.Concurrent;
using Pipelines.LocalCloud.Functions;

namespace Pipelines.LocalCloud.RuntimeApi;

/// <summary>
/// <see cref="IFunctionInvoker"/> over child processes: one <see cref="FunctionProcess"/> per function name, started on
/// first use with the environment <paramref name="environmentFor"/> gives it, reused (warm) afterwards.
/// </summary>
public sealed class FunctionProcessInvoker(
    Func<string, IReadOnlyDictionary<string, string>> environmentFor,
    FunctionProcessOptions? options = null) : IFunctionInvoker, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<FunctionProcess>>> _processes = new(StringComparer.Ordinal);

    public async Task<InvocationResult> InvokeAsync(string functionName, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var fn = await GetAsync(functionName, cancellationToken).ConfigureAwait(false);
        var r = await fn.InvokeAsync(payload, cancellationToken).ConfigureAwait(false);
        return r.Status == InvokeStatus.Ok
            ? InvocationResult.Success(r.RequestId, r.Payload)
            : new InvocationResult(r.RequestId, true, r.Payload, r.ErrorType, r.ErrorMessage);
    }

    /// <summary>The process for a function, started on first use (a failed start is retried on the next call).</summary>
    public async Task<FunctionProcess> GetAsync(string functionName, CancellationToken cancellationToken = default)
    {
        var lazy = _processes.GetOrAdd(functionName, name => new Lazy<Task<FunctionProcess>>(
            () => FunctionProcess.StartAsync(name, environmentFor(name), options, cancellationToken)));
        try
        {
            return await lazy.Value.ConfigureAwait(false);
        }
        catch
        {
            _processes.TryRemove(new KeyValuePair<string, Lazy<Task<FunctionProcess>>>(functionName, lazy));
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var lazy in _processes.Values)
        {
            if (!lazy.IsValueCreated) continue;
            try
            {
                await (await lazy.Value.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or KeyNotFoundException)
            {
                // it never started; nothing to stop
            }
        }
        _processes.Clear();
    }
}

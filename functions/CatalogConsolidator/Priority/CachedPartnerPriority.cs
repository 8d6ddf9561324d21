using Pipelines.Catalog.Domain;
using Pipelines.Shared.Observability;

namespace Pipelines.Catalog.Priority;

/// <summary>
/// Keeps the priority table for the life of the container and reloads it once the TTL has passed. If a reload fails
/// the previous rules keep serving (logged) and the reload is tried again shortly; with nothing loaded yet the error
/// propagates and the batch is retried.
/// </summary>
internal sealed class CachedPartnerPriority(IPartnerPrioritySource source, TimeProvider clock) : IDisposable
{
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(30);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private PartnerPriorityBook? _book;
    private DateTimeOffset _nextRefresh;

    public async Task<PartnerPriorityBook> GetAsync(TimeSpan ttl, CancellationToken cancellationToken)
    {
        if (_book is { } fresh && clock.GetUtcNow() < _nextRefresh) return fresh;
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_book is { } current && clock.GetUtcNow() < _nextRefresh) return current;
            try
            {
                var loaded = await source.LoadAsync(cancellationToken);
                _book = loaded;
                _nextRefresh = clock.GetUtcNow() + ttl;
                Log.Info("Loaded partner priorities", new LogField("contentTypes", loaded.ContentTypes.Count));
                return loaded;
            }
            catch (Exception e) when (_book is not null && !cancellationToken.IsCancellationRequested)
            {
                _nextRefresh = clock.GetUtcNow() + (ttl < RetryAfterFailure ? ttl : RetryAfterFailure);
                Log.Warn("Could not reload partner priorities; keeping the previous ones", new LogField("error", e.Message));
                return _book;
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();
}

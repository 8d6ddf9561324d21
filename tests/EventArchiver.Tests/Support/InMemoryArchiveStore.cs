using System.Collections.Concurrent;
using Pipelines.Events.Archiving;

namespace Pipelines.Tests.EventArchiver.Support;

/// <summary>The archive bucket as a dictionary: puts replace atomically, reads see every completed put.</summary>
internal sealed class InMemoryArchiveStore : IArchiveStore
{
    private readonly ConcurrentDictionary<string, byte[]> _objects = new(StringComparer.Ordinal);
    private int _puts;
    private int _exists;

    public InMemoryArchiveStore(Faults? faults = null) => Faults = faults ?? new Faults();

    public Faults Faults { get; }

    public int Puts => _puts;

    public int ExistsChecks => _exists;

    public IReadOnlyDictionary<string, byte[]> Objects => new Dictionary<string, byte[]>(_objects, StringComparer.Ordinal);

    Task<bool> IArchiveStore.ExistsAsync(string key, CancellationToken cancellationToken) =>
        Faults.RunAsync(SinkOp.Exists, key, () =>
        {
            Interlocked.Increment(ref _exists);
            return _objects.ContainsKey(key);
        }, cancellationToken);

    Task IArchiveStore.PutAsync(string key, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        Faults.RunAsync(SinkOp.Put, key, () =>
        {
            Interlocked.Increment(ref _puts);
            _objects[key] = body.ToArray();
            return true;
        }, cancellationToken);
}

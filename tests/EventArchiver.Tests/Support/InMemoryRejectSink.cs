using System.Collections.Concurrent;
using Pipelines.Events.Archiving;

namespace Pipelines.Tests.EventArchiver.Support;

internal sealed class InMemoryRejectSink(Faults? faults = null) : IRejectSink
{
    public Faults Faults { get; } = faults ?? new Faults();

    public ConcurrentDictionary<string, IReadOnlyList<RejectedEvent>> Objects { get; } = new(StringComparer.Ordinal);

    public IEnumerable<RejectedEvent> All => Objects.Values.SelectMany(v => v);

    public Task WriteAsync(string objectName, IReadOnlyList<RejectedEvent> rejected, CancellationToken cancellationToken) =>
        Faults.RunAsync(SinkOp.WriteRejects, objectName, () => Objects[objectName] = rejected.ToList(), cancellationToken);
}

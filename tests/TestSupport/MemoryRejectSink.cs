using Pipelines.Shared.Sinks;

namespace Pipelines.Tests.Support;

/// <summary>The rejects bucket in memory: objects by name; <see cref="FailuresBeforeSuccess"/> makes writes fail first.</summary>
public sealed class MemoryRejectSink : IRejectObjectSink
{
    public Dictionary<string, IReadOnlyList<RejectedRecord>> Objects { get; } = new(StringComparer.Ordinal);

    public int FailuresBeforeSuccess { get; set; }

    public int Calls { get; private set; }

    public IEnumerable<RejectedRecord> All => Objects.Values.SelectMany(r => r);

    public Task WriteAsync(string objectName, IReadOnlyList<RejectedRecord> records, CancellationToken cancellationToken)
    {
        Calls++;
        if (FailuresBeforeSuccess-- > 0) throw new HttpRequestException("connection reset by peer");
        Objects[objectName] = records.ToList();
        return Task.CompletedTask;
    }
}

using Pipelines.Orders.Cdc.Publishing;
using Pipelines.Shared.Sinks;

namespace Pipelines.Tests.OrdersCdcPublisher.Support;

/// <summary>Keeps rejected records in memory, or fails like an unreachable bucket.</summary>
internal sealed class MemoryRejects : IRejectedRecordSink
{
    public List<RejectedRecord> Records { get; } = [];
    public bool Unavailable { get; set; }

    public Task WriteAsync(IReadOnlyList<RejectedRecord> records, CancellationToken cancellationToken)
    {
        if (Unavailable) throw new HttpRequestException("rejects bucket unreachable");
        Records.AddRange(records);
        return Task.CompletedTask;
    }
}

using Pipelines.Shared.Sinks;

namespace Pipelines.Orders.Cdc.Publishing;

/// <summary>Where stream records that can never be published go (the rejects bucket in production).</summary>
internal interface IRejectedRecordSink
{
    Task WriteAsync(IReadOnlyList<RejectedRecord> records, CancellationToken cancellationToken);
}

/// <summary>
/// One JSON-lines object per batch under REJECTED_BUCKET/REJECTED_PREFIX, named from the records' sequence numbers,
/// so a redelivered batch overwrites the same object instead of adding a copy.
/// </summary>
internal sealed class S3RejectedRecordSink(RejectedRecordsWriter writer) : IRejectedRecordSink
{
    public Task WriteAsync(IReadOnlyList<RejectedRecord> records, CancellationToken cancellationToken) =>
        writer.WriteAsync(RejectedRecordsWriter.ObjectNameFor(records), records, cancellationToken);
}

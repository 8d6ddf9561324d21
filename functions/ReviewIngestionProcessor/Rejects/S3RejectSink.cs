using Pipelines.Shared.Sinks;

namespace Pipelines.Reviews.Rejects;

/// <summary>Rejected records as one JSON-lines object per batch under <c>REJECTED_BUCKET/REJECTED_PREFIX</c>.</summary>
internal sealed class S3RejectSink(RejectedRecordsWriter writer) : IRejectObjectSink
{
    public Task WriteAsync(string objectName, IReadOnlyList<RejectedRecord> records, CancellationToken cancellationToken) =>
        writer.WriteAsync(objectName, records, cancellationToken);
}

using Pipelines.Events.Archiving;
using Pipelines.Shared.Kinesis;
using Pipelines.Shared.Sinks;

namespace Pipelines.Events.Aws;

/// <summary>Rejected records as JSON lines under REJECTED_BUCKET/REJECTED_PREFIX, via the shared writer.</summary>
internal sealed class S3RejectSink(RejectedRecordsWriter writer) : IRejectSink
{
    public Task WriteAsync(string objectName, IReadOnlyList<RejectedEvent> rejected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        var records = rejected.Select(r => KinesisRejects.For(
            r.Reason.ToString(),
            new SourceRecord(r.Id.SequenceNumber, r.Id.ShardId, r.PartitionKey, r.ApproximateArrival),
            r.DataBase64)).ToList();
        return writer.WriteAsync(objectName + ".jsonl", records, cancellationToken);
    }
}

using System.Buffers.Text;
using System.Text;
using Pipelines.Events.Archiving;
using Pipelines.Shared.Sinks;

namespace Pipelines.Events.Aws;

/// <summary>Rejected records as JSON lines under REJECTED_BUCKET/REJECTED_PREFIX, via the shared writer.</summary>
internal sealed class S3RejectSink(RejectedRecordsWriter writer) : IRejectSink
{
    public Task WriteAsync(string objectName, IReadOnlyList<RejectedEvent> rejected, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        var records = rejected.Select(r => new RejectedRecord(
            r.Reason.ToString(),
            r.Id.SequenceNumber,
            OriginalBytes(r.DataBase64),
            r.PartitionKey,
            r.Id.ShardId,
            r.ApproximateArrival)).ToList();
        return writer.WriteAsync(objectName + ".jsonl", records, cancellationToken);
    }

    /// <summary>The decoded payload; for data that is not base64 at all, the text exactly as it arrived.</summary>
    private static byte[] OriginalBytes(string base64)
    {
        var buffer = new byte[Base64.GetMaxDecodedFromUtf8Length(base64.Length)];
        return Convert.TryFromBase64String(base64, buffer, out var written)
            ? buffer.AsSpan(0, written).ToArray()
            : Encoding.UTF8.GetBytes(base64);
    }
}

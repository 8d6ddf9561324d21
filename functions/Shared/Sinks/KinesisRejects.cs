using System.Buffers;
using System.Buffers.Text;
using System.Text;
using Pipelines.Shared.Events;
using Pipelines.Shared.Kinesis;

namespace Pipelines.Shared.Sinks;

/// <summary>Kinesis records that can never be processed, as <see cref="RejectedRecord"/>s the rejects bucket keeps.</summary>
public static class KinesisRejects
{
    /// <summary>The rejected record for <paramref name="source"/>, keeping its original bytes and lineage.</summary>
    public static RejectedRecord For(string reason, SourceRecord source, string wireData) =>
        new(reason, source.SequenceNumber, OriginalBytes(wireData), source.PartitionKey, source.ShardId, source.ArrivalTime);

    /// <summary>The rejected record <paramref name="index"/> of <paramref name="batch"/>, keeping its original bytes and lineage.</summary>
    public static RejectedRecord For(string reason, KinesisBatch batch, int index)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var source = batch[index].Source;
        return new(reason, source.SequenceNumber, OriginalBytes(batch.Data(index)), source.PartitionKey, source.ShardId, source.ArrivalTime);
    }

    /// <summary>The record's bytes as sent (base64 text in UTF-8); when the base64 itself is broken, that text is kept.</summary>
    public static byte[] OriginalBytes(ReadOnlySpan<byte> wireData)
    {
        var decoded = new byte[Base64.GetMaxDecodedFromUtf8Length(wireData.Length)];
        return Base64.DecodeFromUtf8(wireData, decoded, out _, out var written) == OperationStatus.Done
            ? decoded.AsSpan(0, written).ToArray()
            : wireData.ToArray();
    }

    /// <summary>The record's bytes as sent; when the base64 itself is broken, the wire text is what there is to keep.</summary>
    public static byte[] OriginalBytes(string wireData) =>
        Base64Data.TryDecode(wireData, out var bytes) ? bytes : Encoding.UTF8.GetBytes(wireData);

    /// <summary>
    /// <c>&lt;shardId&gt;/&lt;first rejected sequence number&gt;-&lt;hash of all ids&gt;.jsonl</c>: findable by shard and
    /// position, and the same batch redelivered overwrites its own object while a retry with a different set of
    /// rejects writes a new one instead of replacing (and losing) what an earlier attempt stored.
    /// </summary>
    public static string ObjectName(string shardId, IReadOnlyList<RejectedRecord> records) =>
        $"{shardId}/{records[0].SourceId}-{RejectedRecordsWriter.ObjectNameFor(records)}";
}

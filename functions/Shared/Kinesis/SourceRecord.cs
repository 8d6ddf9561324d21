using Pipelines.Shared.Events;

namespace Pipelines.Shared.Kinesis;

/// <summary>Where a record came from: the lineage the item keeps and the identity used to report a failure.</summary>
public readonly record struct SourceRecord(string SequenceNumber, string ShardId, string PartitionKey, DateTimeOffset ArrivalTime)
{
    /// <summary>The lineage of a record as Lambda's Kinesis event delivers it.</summary>
    public static SourceRecord From(KinesisEventRecord record)
    {
        string? lastShardId = null;
        return From(record, ref lastShardId);
    }

    /// <summary>
    /// The same, without a new shard-id string per record: a batch comes from one shard, so the previous record's
    /// shard id (carried in <paramref name="lastShardId"/>) is reused whenever the event id starts with it.
    /// </summary>
    public static SourceRecord From(KinesisEventRecord record, ref string? lastShardId)
    {
        ArgumentNullException.ThrowIfNull(record);
        var kinesis = record.Kinesis;
        var eventId = record.EventId;
        var colon = eventId?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        var shardId = colon > 0 && lastShardId is { } last && last.Length == colon && eventId.AsSpan(0, colon).SequenceEqual(last)
            ? last
            : ShardIdFromEventId(eventId);
        lastShardId = shardId;
        return new SourceRecord(
            kinesis.SequenceNumber,
            shardId,
            kinesis.PartitionKey,
            ArrivalFromEpochSeconds(kinesis.ApproximateArrivalTimestamp));
    }

    /// <summary>
    /// Kinesis arrival time (epoch seconds with a fraction) as the millisecond it denotes: rounding to the
    /// nearest millisecond absorbs the binary-fraction error of the double (1545084650.987 is stored as ...986999).
    /// </summary>
    public static DateTimeOffset ArrivalFromEpochSeconds(double epochSeconds) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(epochSeconds * 1000d, MidpointRounding.AwayFromZero));

    /// <summary>Lambda's Kinesis eventID is "&lt;shardId&gt;:&lt;sequenceNumber&gt;".</summary>
    public static string ShardIdFromEventId(string? eventId)
    {
        var colon = eventId?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        return colon > 0 ? eventId![..colon] : "shardId-unknown";
    }
}

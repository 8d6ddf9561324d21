using System.Globalization;

namespace Pipelines.Reviews.Domain;

/// <summary>Where a record came from: the lineage the item keeps and the identity used to report a failure.</summary>
internal readonly record struct SourceRecord(string SequenceNumber, string ShardId, string PartitionKey, DateTimeOffset ArrivalTime)
{
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

    /// <summary>UTC ISO 8601 with exactly three fraction digits, e.g. 2018-12-17T22:10:50.987Z.</summary>
    public static string FormatIsoMillis(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
}

namespace Pipelines.Events.Domain;

/// <summary>
/// Identity of one Kinesis record: its shard and sequence number. A redelivered record has the same identity;
/// a duplicate event re-sent by a producer has a new one.
/// </summary>
internal readonly record struct RecordId : IComparable<RecordId>
{
    // "shard:seq" is the claim value and part of every plan item, so it is formatted once, not per request.
    private readonly string? _text;

    public RecordId(string shardId, string sequenceNumber)
    {
        ArgumentNullException.ThrowIfNull(shardId);
        ArgumentNullException.ThrowIfNull(sequenceNumber);
        ShardId = shardId;
        SequenceNumber = sequenceNumber;
        _text = $"{shardId}:{sequenceNumber}";
    }

    public string ShardId { get; }

    public string SequenceNumber { get; }

    public override string ToString() => _text ?? ":";

    public int CompareTo(RecordId other)
    {
        var byShard = string.CompareOrdinal(ShardId, other.ShardId);
        return byShard != 0 ? byShard : CompareSequenceNumbers(SequenceNumber, other.SequenceNumber);
    }

    /// <summary>
    /// Kinesis sequence numbers are decimal strings of up to 128 digits (too long for any integer type):
    /// a shorter one is smaller, equal lengths compare digit by digit.
    /// </summary>
    public static int CompareSequenceNumbers(string a, string b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var x = a.AsSpan().TrimStart('0');
        var y = b.AsSpan().TrimStart('0');
        return x.Length != y.Length ? x.Length.CompareTo(y.Length) : x.SequenceCompareTo(y);
    }

    public static bool operator <(RecordId left, RecordId right) => left.CompareTo(right) < 0;
    public static bool operator >(RecordId left, RecordId right) => left.CompareTo(right) > 0;
    public static bool operator <=(RecordId left, RecordId right) => left.CompareTo(right) <= 0;
    public static bool operator >=(RecordId left, RecordId right) => left.CompareTo(right) >= 0;
}

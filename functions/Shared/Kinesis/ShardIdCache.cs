using System.Text;

namespace Pipelines.Shared.Kinesis;

/// <summary>
/// Lambda's eventID is "&lt;shardId&gt;:&lt;sequenceNumber&gt;" and a batch comes from one shard: the shard id
/// string is made once and reused while the prefix matches.
/// </summary>
internal struct ShardIdCache
{
    private byte[]? _lastUtf8;
    private string? _last;

    /// <summary>The shard of an unescaped eventID's UTF-8.</summary>
    public string FromEventId(ReadOnlySpan<byte> eventId)
    {
        var colon = eventId.IndexOf((byte)':');
        if (colon <= 0) return SourceRecord.ShardIdFromEventId(null);
        var shard = eventId[..colon];
        if (_last is null || !shard.SequenceEqual(_lastUtf8))
        {
            _lastUtf8 = shard.ToArray();
            _last = Encoding.UTF8.GetString(shard);
        }
        return _last;
    }
}

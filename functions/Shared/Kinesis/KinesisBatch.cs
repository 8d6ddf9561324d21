using System.Buffers;
using System.Text;
using System.Text.Json;
using Pipelines.Shared.Events;

namespace Pipelines.Shared.Kinesis;

/// <summary>
/// A Lambda Kinesis event read in one pass (<see cref="KinesisEventReader"/>). Every record's base64 <c>data</c>,
/// sequence number and partition key stay as UTF-8 text in one pooled buffer; strings are made only for the records
/// whose lineage a function asks for (<see cref="Source(int)"/>, <see cref="SequenceNumber(int)"/>). Deserialising into <see cref="KinesisEvent"/>
/// instead costs ~10 strings per record, <c>data</c> among them as UTF-16 (2.7x the payload), which was a third of a
/// county-aggregator invocation. Not thread-safe; dispose to return the pooled buffers.
/// </summary>
public sealed class KinesisBatch : IDisposable
{
    private RawRecord[]? _records;
    private byte[]? _text;
    private string?[]? _sequenceNumbers;

    internal KinesisBatch(RawRecord[]? records, int count, byte[]? text)
    {
        _records = records;
        Count = count;
        _text = text;
    }

    public static KinesisBatch Empty => new(null, 0, null);

    public int Count { get; }

    /// <summary>Record <paramref name="index"/>: its lineage (made on first use) and where its data sits.</summary>
    public KinesisBatchRecord this[int index]
    {
        get
        {
            var raw = Raw(index);
            return new KinesisBatchRecord(Source(index), raw.Data.Start, raw.Data.Length);
        }
    }

    /// <summary>
    /// Where record <paramref name="index"/> came from. Its sequence number is made once; its partition key (kept
    /// only by rejects and items' lineage) on each call, so a function that needs a few rows' lineage pays for those.
    /// </summary>
    public SourceRecord Source(int index)
    {
        return new SourceRecord(SequenceNumber(index), ShardId(index), PartitionKey(index), ArrivalTime(index));
    }

    /// <summary>Record <paramref name="index"/>'s sequence number, made once (without the rest of its lineage).</summary>
    public string SequenceNumber(int index)
    {
        var raw = Raw(index);
        _sequenceNumbers ??= new string?[Count];
        return _sequenceNumbers[index] ??= Text(raw.SequenceNumber);
    }

    /// <summary>When Kinesis received record <paramref name="index"/> (no strings made).</summary>
    public DateTimeOffset ArrivalTime(int index) => SourceRecord.ArrivalFromEpochSeconds(Raw(index).ArrivalEpochSeconds);

    /// <summary>Record <paramref name="index"/>'s partition key, made on each call.</summary>
    internal string PartitionKey(int index) => Text(Raw(index).PartitionKey);

    /// <summary>Record <paramref name="index"/>'s arrival as delivered (epoch seconds), before it is made a time.</summary>
    internal double ArrivalEpochSeconds(int index) => Raw(index).ArrivalEpochSeconds;

    /// <summary>Record <paramref name="index"/>'s shard (one string shared by the batch's records).</summary>
    public string ShardId(int index) => Raw(index).ShardId;

    /// <summary>Record <paramref name="index"/>'s <c>data</c> as delivered: base64 text in UTF-8, JSON escapes removed.</summary>
    public ReadOnlySpan<byte> Data(int index) => Span(Raw(index).Data);

    /// <summary>Record <paramref name="index"/>'s <c>data</c> as a string (for the rare record that is rejected).</summary>
    public string DataText(int index) => Text(Raw(index).Data);

    /// <summary>Reads Lambda's Kinesis event JSON.</summary>
    /// <exception cref="Runtime.InvalidEventException">The payload is not a Kinesis event.</exception>
    public static KinesisBatch Parse(ReadOnlySpan<byte> eventJson) => KinesisEventReader.Read(eventJson);

    /// <summary>
    /// An already-decoded event, written back to its wire JSON and read as Lambda's payload would be, so tests
    /// that build <see cref="KinesisEvent"/> objects exercise the same reader as a real invocation.
    /// </summary>
    public static KinesisBatch From(KinesisEvent kinesisEvent)
    {
        ArgumentNullException.ThrowIfNull(kinesisEvent);
        return Parse(JsonSerializer.SerializeToUtf8Bytes(kinesisEvent, EventJsonContext.Default.KinesisEvent));
    }

    public void Dispose()
    {
        var text = _text;
        var records = _records;
        _text = null;
        _records = null;
        if (text is not null) ArrayPool<byte>.Shared.Return(text);
        if (records is not null) ArrayPool<RawRecord>.Shared.Return(records, clearArray: true);
    }

    private ref readonly RawRecord Raw(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
        ObjectDisposedException.ThrowIf(_records is null, this);
        return ref _records[index];
    }

    private ReadOnlySpan<byte> Span(TextRange range) => range.Length == 0 ? [] : _text.AsSpan(range.Start, range.Length);

    private string Text(TextRange range) => range.Length == 0 ? "" : Encoding.UTF8.GetString(Span(range));

    /// <summary>A run of UTF-8 text in the batch's buffer.</summary>
    internal readonly record struct TextRange(int Start, int Length);

    /// <summary>What the reader keeps of one record until a function asks for it.</summary>
    internal readonly record struct RawRecord(TextRange SequenceNumber, TextRange PartitionKey, TextRange Data, string ShardId, double ArrivalEpochSeconds);
}

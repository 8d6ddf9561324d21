using System.Buffers;

namespace Pipelines.Orders.Transform.Firehose;

/// <summary>
/// A Firehose transformation event as the handler needs it: per record its recordId and base64 data as unescaped
/// UTF-8 (both in one pooled text buffer, so a record costs no string) and its arrival time. Dispose to return
/// the buffers. Built by <see cref="FirehoseEventReader"/>.
/// </summary>
internal sealed class FirehoseBatch : IDisposable
{
    private readonly byte[] _text;
    private RecordSlot[] _records;
    private int _textUsed;
    private bool _disposed;

    /// <param name="textCapacity">
    /// The payload's length: unescaped text is never longer than the JSON it came from, so the text buffer never grows.
    /// </param>
    public FirehoseBatch(int textCapacity)
    {
        _text = ArrayPool<byte>.Shared.Rent(Math.Max(1, textCapacity));
        _records = ArrayPool<RecordSlot>.Shared.Rent(16);
    }

    public string InvocationId { get; set; } = "";

    public int Count { get; private set; }

    /// <summary>The record's recordId as UTF-8 ("" when the event had none).</summary>
    public ReadOnlySpan<byte> RecordId(int index) => Text(Slot(index).RecordId);

    /// <summary>The record's data as it was on the wire (base64 text), as UTF-8.</summary>
    public ReadOnlySpan<byte> Data(int index) => Text(Slot(index).Data);

    /// <summary>Epoch milliseconds, 0 when absent or unreadable.</summary>
    public long ApproximateArrivalTimestamp(int index) => Slot(index).ApproximateArrivalTimestamp;

    /// <summary>Forgets every record (a repeated "records" member replaces the earlier one).</summary>
    public void Clear()
    {
        Count = 0;
        _textUsed = 0;
    }

    /// <summary>The free part of the text buffer, for a reader to copy a value into before <see cref="CommitText"/>.</summary>
    public Span<byte> FreeText => _text.AsSpan(_textUsed);

    /// <summary>Keeps the <paramref name="length"/> bytes just copied into <see cref="FreeText"/>.</summary>
    public Range CommitText(int length)
    {
        var range = new Range(_textUsed, _textUsed + length);
        _textUsed += length;
        return range;
    }

    public void Add(Range recordId, Range data, long approximateArrivalTimestamp)
    {
        if (Count == _records.Length)
        {
            var bigger = ArrayPool<RecordSlot>.Shared.Rent(_records.Length * 2);
            _records.AsSpan(0, Count).CopyTo(bigger);
            ArrayPool<RecordSlot>.Shared.Return(_records);
            _records = bigger;
        }
        _records[Count++] = new RecordSlot(recordId, data, approximateArrivalTimestamp);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        ArrayPool<byte>.Shared.Return(_text);
        ArrayPool<RecordSlot>.Shared.Return(_records);
    }

    private ReadOnlySpan<byte> Text(Range range) => _text.AsSpan(range);

    private ref readonly RecordSlot Slot(int index)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual((uint)index, (uint)Count, nameof(index));
        return ref _records[index];
    }

    private readonly record struct RecordSlot(Range RecordId, Range Data, long ApproximateArrivalTimestamp);
}

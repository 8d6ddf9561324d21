using System.Buffers;
using System.IO.Pipelines;

namespace Pipelines.Catalog.Domain;

/// <summary>
/// Reads a stream one '\n'-terminated line at a time through a <see cref="PipeReader"/> (pooled buffers), so an
/// object is never held whole in memory: only the current line is. A line longer than the configured maximum is
/// drained without being buffered and reported as <see cref="IsTooLong"/>, so one runaway line cannot exhaust memory.
/// </summary>
internal sealed class JsonLineReader : IAsyncDisposable
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    private readonly PipeReader _pipe;
    private readonly long _maxLineBytes;
    private ReadOnlySequence<byte> _buffer;
    private bool _holdingBuffer;
    private bool _completed;
    private bool _finished;
    // Bytes at the start of _buffer already known to hold no '\n' (avoids rescanning a long line on every read).
    private long _scanned;

    public JsonLineReader(Stream stream, long maxLineBytes, int bufferSize = 64 * 1024)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLineBytes, 1);
        _maxLineBytes = maxLineBytes;
        _pipe = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: bufferSize, minimumReadSize: Math.Min(bufferSize, 4096), leaveOpen: true));
    }

    /// <summary>The current line without its terminator ('\n' or "\r\n"); valid until the next <see cref="MoveNextAsync"/>.</summary>
    public ReadOnlySequence<byte> Current { get; private set; }

    /// <summary>1-based number of the current line in the object (blank lines count, so numbers match an editor's).</summary>
    public long LineNumber { get; private set; }

    /// <summary>The current line exceeded the maximum length; <see cref="Current"/> is empty and <see cref="CurrentLength"/> says how long it was.</summary>
    public bool IsTooLong { get; private set; }

    /// <summary>Length in bytes of the current line (also when it was too long to keep).</summary>
    public long CurrentLength { get; private set; }

    /// <summary>Total bytes consumed from the stream so far.</summary>
    public long BytesRead { get; private set; }

    public async ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken = default)
    {
        if (_finished) return false;
        var skipping = false;
        long skippedBytes = 0;
        while (true)
        {
            if (!_holdingBuffer)
            {
                var result = await _pipe.ReadAsync(cancellationToken);
                _buffer = result.Buffer;
                _completed = result.IsCompleted;
                _holdingBuffer = true;
            }

            var newline = _buffer.Slice(_scanned).PositionOf((byte)'\n');
            if (newline is { } end)
            {
                var line = _buffer.Slice(0, end);
                _buffer = _buffer.Slice(_buffer.GetPosition(1, end));
                _scanned = 0;
                BytesRead += line.Length + 1;
                if (skipping) return YieldTooLong(skippedBytes + line.Length);
                return Yield(line);
            }

            _scanned = _buffer.Length;
            if (_completed)
            {
                _finished = true;
                if (skipping) return YieldTooLong(skippedBytes + _buffer.Length, consumeBuffer: true);
                if (_buffer.Length == 0) return false;
                var last = _buffer;
                BytesRead += last.Length;
                _buffer = _buffer.Slice(_buffer.End);
                return Yield(last);
            }

            if (skipping || _buffer.Length > _maxLineBytes)
            {
                // Too long to keep: drop what we hold and keep draining until the line ends.
                skipping = true;
                skippedBytes += _buffer.Length;
                BytesRead += _buffer.Length;
                _pipe.AdvanceTo(_buffer.End);
                _scanned = 0;
            }
            else
            {
                // Need more bytes: keep everything unconsumed but mark it examined so the pipe reads further.
                _pipe.AdvanceTo(_buffer.Start, _buffer.End);
            }
            _holdingBuffer = false;
        }
    }

    private bool Yield(ReadOnlySequence<byte> line)
    {
        LineNumber++;
        if (LineNumber == 1 && StartsWith(line, Utf8Bom)) line = line.Slice(Utf8Bom.Length);
        if (line.Length > 0 && EndsWithCarriageReturn(line)) line = line.Slice(0, line.Length - 1);
        if (line.Length > _maxLineBytes) return YieldTooLong(line.Length);
        Current = line;
        CurrentLength = line.Length;
        IsTooLong = false;
        return true;
    }

    private bool YieldTooLong(long length, bool consumeBuffer = false)
    {
        if (consumeBuffer)
        {
            BytesRead += _buffer.Length;
            _buffer = _buffer.Slice(_buffer.End);
        }
        LineNumber++;
        Current = ReadOnlySequence<byte>.Empty;
        CurrentLength = length;
        IsTooLong = true;
        return true;
    }

    private static bool StartsWith(ReadOnlySequence<byte> line, ReadOnlySpan<byte> prefix)
    {
        if (line.Length < prefix.Length) return false;
        Span<byte> head = stackalloc byte[prefix.Length];
        line.Slice(0, prefix.Length).CopyTo(head);
        return head.SequenceEqual(prefix);
    }

    private static bool EndsWithCarriageReturn(ReadOnlySequence<byte> line)
    {
        var lastSpan = line.Slice(line.Length - 1).FirstSpan;
        return lastSpan[0] == (byte)'\r';
    }

    public async ValueTask DisposeAsync()
    {
        await _pipe.CompleteAsync();
    }
}

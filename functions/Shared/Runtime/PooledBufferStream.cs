using System.Buffers;

namespace Pipelines.Shared.Runtime;

/// <summary>
/// A growable in-memory stream over an ArrayPool buffer that is kept between invocations, so a warm function does
/// not allocate payload-sized arrays per invocation. Writing past <see cref="Capacity"/> limit throws.
/// </summary>
internal sealed class PooledBufferStream : Stream
{
    private byte[] _buffer;
    private int _length;
    private int _position;

    public PooledBufferStream(int initialCapacity, int maxLength)
    {
        MaxLength = maxLength;
        _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);
    }

    public int MaxLength { get; }
    public int Capacity => _buffer.Length;
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);
    public byte[] Buffer => _buffer;

    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => true;
    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException();
    }

    /// <summary>Empties the stream for the next invocation, keeping the buffer.</summary>
    public void Reset()
    {
        _length = 0;
        _position = 0;
    }

    /// <summary>Makes room for <paramref name="count"/> more bytes and returns the span to fill; call <see cref="Advance"/> after.</summary>
    public Memory<byte> GetMemory(int count)
    {
        EnsureCapacity(_length + count);
        return _buffer.AsMemory(_length, count);
    }

    public void Advance(int count)
    {
        _length += count;
        _position = _length;
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        EnsureCapacity(_length + buffer.Length);
        buffer.CopyTo(_buffer.AsSpan(_length));
        Advance(buffer.Length);
    }

    public override void WriteByte(byte value) => Write([value]);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush() { }
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    private void EnsureCapacity(int needed)
    {
        if (needed > MaxLength)
            throw new ResponseSizeTooLargeException(
                $"The payload exceeds the Lambda limit of {MaxLength} bytes.");
        if (needed <= _buffer.Length) return;
        var next = ArrayPool<byte>.Shared.Rent(Math.Min(MaxLength, Math.Max(needed, _buffer.Length * 2)));
        _buffer.AsSpan(0, _length).CopyTo(next);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = next;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
        base.Dispose(disposing);
    }
}

/// <summary>A handler produced (or was given) more than Lambda's 6 MB synchronous payload limit.</summary>
public sealed class ResponseSizeTooLargeException : Exception
{
    public ResponseSizeTooLargeException() { }
    public ResponseSizeTooLargeException(string message) : base(message) { }
    public ResponseSizeTooLargeException(string message, Exception innerException) : base(message, innerException) { }
}

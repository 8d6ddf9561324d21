using Microsoft.Win32.SafeHandles;

namespace Pipelines.Catalog.Storage;

/// <summary>
/// A read-only, seekable view of one <see cref="FileSegment"/>: position 0 is the segment's first byte and
/// <see cref="Length"/> its size, so an SDK PUT sends exactly the segment (and can rewind it for a retry or a checksum).
/// </summary>
internal sealed class FileSegmentStream : Stream
{
    private readonly SafeFileHandle _file;
    private readonly long _start;
    private readonly long _length;
    private long _position;

    public FileSegmentStream(FileSegment segment)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(segment.Offset);
        ArgumentOutOfRangeException.ThrowIfNegative(segment.Length);
        _file = File.OpenHandle(segment.Path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        _start = segment.Offset;
        _length = segment.Length;
    }

    public override bool CanRead => !_file.IsClosed;
    public override bool CanSeek => !_file.IsClosed;
    public override bool CanWrite => false;
    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _position = value;
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var wanted = (int)Math.Min(buffer.Length, Math.Max(0, _length - _position));
        if (wanted == 0) return 0;
        var read = RandomAccess.Read(_file, buffer[..wanted], _start + _position);
        _position += read;
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var wanted = (int)Math.Min(buffer.Length, Math.Max(0, _length - _position));
        if (wanted == 0) return 0;
        var read = await RandomAccess.ReadAsync(_file, buffer[..wanted], _start + _position, cancellationToken).ConfigureAwait(false);
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin)
    {
        Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => _length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _file.Dispose();
        base.Dispose(disposing);
    }
}

using System.Buffers;

namespace Pipelines.Catalog.Domain;

/// <summary>One finished jsonl file in the temp directory and what went into it.</summary>
internal sealed record SpooledFile(string Path, int Part, long Bytes, int Lines, bool Oversized, IReadOnlyList<int> Messages);

/// <summary>
/// Appends JSON lines to files in a directory, starting a new file before one would pass <c>maxBytes</c>
/// (the '\n' counts). A line is never split: a line that alone exceeds the limit is written to a file of its own
/// and the file is flagged <see cref="SpooledFile.Oversized"/>. Each file remembers which messages' records it holds,
/// so a failed upload can fail exactly those messages. Lines are gathered in one pooled buffer and written in large
/// pieces (a FileStream's own buffer would be a new allocation for each of hundreds of files).
/// </summary>
internal sealed class RollingJsonlWriter : IDisposable
{
    private const int BufferSize = 256 * 1024;
    private byte[] _pending = ArrayPool<byte>.Shared.Rent(BufferSize);
    private int _pendingLength;
    private readonly string _directory;
    private readonly string _prefix;
    private readonly long _maxBytes;
    private readonly List<SpooledFile> _files = [];
    private FileStream? _current;
    private string? _currentPath;
    private long _currentBytes;
    private int _currentLines;
    private bool _currentOversized;
    private readonly HashSet<int> _currentMessages = [];

    public RollingJsonlWriter(string directory, string prefix, long maxBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 2);
        _directory = directory;
        _prefix = prefix;
        _maxBytes = maxBytes;
        Directory.CreateDirectory(directory);
    }

    public IReadOnlyList<SpooledFile> Files => _files;

    public long TotalBytes { get; private set; }

    /// <summary>Writes <paramref name="line"/> (without terminator) plus '\n', attributed to <paramref name="messages"/>.</summary>
    public void WriteLine(ReadOnlySpan<byte> line, ReadOnlySpan<int> messages)
    {
        var size = line.Length + 1L;
        var oversized = size > _maxBytes;
        if (_current is not null && (oversized || _currentBytes + size > _maxBytes)) CloseCurrent();
        if (_current is null) OpenNext();

        Append(line);
        Append("\n"u8);
        _currentBytes += size;
        _currentLines++;
        TotalBytes += size;
        foreach (var m in messages) _currentMessages.Add(m);
        if (oversized)
        {
            _currentOversized = true;
            CloseCurrent();
        }
    }

    /// <summary>Closes the open file; afterwards <see cref="Files"/> lists every file written.</summary>
    public IReadOnlyList<SpooledFile> Complete()
    {
        CloseCurrent();
        return _files;
    }

    private void OpenNext()
    {
        var part = _files.Count + 1;
        _currentPath = Path.Combine(_directory, $"{_prefix}-{part:D4}.jsonl");
        _current = new FileStream(_currentPath, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 0);
        _currentBytes = 0;
        _currentLines = 0;
        _currentOversized = false;
        _currentMessages.Clear();
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_pendingLength + bytes.Length > _pending.Length)
        {
            FlushPending();
            if (bytes.Length > _pending.Length)
            {
                _current!.Write(bytes);
                return;
            }
        }
        bytes.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength += bytes.Length;
    }

    private void FlushPending()
    {
        if (_pendingLength == 0) return;
        _current!.Write(_pending, 0, _pendingLength);
        _pendingLength = 0;
    }

    private void CloseCurrent()
    {
        if (_current is null) return;
        FlushPending();
        _current.Dispose();
        _current = null;
        _files.Add(new SpooledFile(_currentPath!, _files.Count + 1, _currentBytes, _currentLines, _currentOversized, [.. _currentMessages.Order()]));
    }

    public void Dispose()
    {
        if (_current is not null)
        {
            FlushPending();
            _current.Dispose();
            _current = null;
        }
        if (_pending.Length > 0) ArrayPool<byte>.Shared.Return(_pending);
        _pending = [];
    }
}

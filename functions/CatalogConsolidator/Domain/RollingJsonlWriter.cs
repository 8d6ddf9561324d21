using System.Buffers;
using Microsoft.Win32.SafeHandles;
using Pipelines.Catalog.Storage;

namespace Pipelines.Catalog.Domain;

/// <summary>One finished part (an object to upload): where its bytes sit in the spool file and what went into it.</summary>
internal sealed record SpooledFile(string Path, int Part, long Offset, long Bytes, int Lines, bool Oversized, IReadOnlyList<int> Messages)
{
    public FileSegment Segment => new(Path, Offset, Bytes);
}

/// <summary>
/// Appends JSON lines to one spool file and cuts them into parts, starting a new part before one would pass
/// <c>maxBytes</c> (the '\n' counts). A line is never split: a line that alone exceeds the limit is a part of its own,
/// flagged <see cref="SpooledFile.Oversized"/>. Each part remembers which messages' records it holds, so a failed upload
/// can fail exactly those messages. Parts are consecutive segments of one file rather than files of their own:
/// creating hundreds of files per invocation cost more than writing their bytes. Lines are gathered in one pooled
/// buffer and written with one positional write per buffer.
/// </summary>
internal sealed class RollingJsonlWriter : IDisposable
{
    private const int BufferSize = 1 << 20;
    private byte[] _pending = ArrayPool<byte>.Shared.Rent(BufferSize);
    private int _pendingLength;
    private readonly string _path;
    private readonly long _maxBytes;
    private readonly List<SpooledFile> _files = [];
    private SafeFileHandle? _file;
    // Bytes already in the file; the pending buffer continues from there.
    private long _written;
    private bool _partOpen;
    private long _partStart;
    private long _partBytes;
    private int _partLines;
    private bool _partOversized;
    private readonly HashSet<int> _partMessages = [];
    private int _lastMessage = -1;
    // Length of the line reserved and not yet committed (-1: none), and its own array when it is longer than the buffer.
    private int _reserved = -1;
    private byte[]? _large;

    private readonly FileMode _mode;

    /// <summary>A writer of a new file <c>directory/prefix.jsonl</c>.</summary>
    public RollingJsonlWriter(string directory, string prefix, long maxBytes)
        : this(System.IO.Path.Combine(directory, prefix + ".jsonl"), maxBytes, overwriteInPlace: false)
    {
    }

    /// <param name="path">The spool file.</param>
    /// <param name="maxBytes">Largest part, '\n' included.</param>
    /// <param name="overwriteInPlace">Write over an existing file's bytes from offset 0 instead of creating it anew;
    /// whatever it held past the written length stays, outside every part.</param>
    public RollingJsonlWriter(string path, long maxBytes, bool overwriteInPlace)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 2);
        _path = path;
        _maxBytes = maxBytes;
        _mode = overwriteInPlace ? FileMode.OpenOrCreate : FileMode.Create;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
    }

    public IReadOnlyList<SpooledFile> Files => _files;

    public long TotalBytes { get; private set; }

    /// <summary>Writes <paramref name="line"/> (without terminator) plus '\n', attributed to <paramref name="messages"/>.</summary>
    public void WriteLine(ReadOnlySpan<byte> line, ReadOnlySpan<int> messages)
    {
        line.CopyTo(ReserveLine(line.Length));
        CommitLine(messages);
    }

    /// <summary>
    /// Room for the next line, exactly <paramref name="length"/> bytes without its '\n', to be filled in place (no copy
    /// through a separate line buffer) and then committed with <see cref="CommitLine"/>.
    /// </summary>
    public Span<byte> ReserveLine(int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (_reserved >= 0) throw new InvalidOperationException("The reserved line was not committed.");
        _reserved = length;
        if (_pendingLength + length + 1 > _pending.Length) FlushPending();
        if (length + 1 <= _pending.Length) return _pending.AsSpan(_pendingLength, length);
        // Longer than the buffer: built in an array of its own and written straight to the file on commit.
        _large = ArrayPool<byte>.Shared.Rent(length + 1);
        return _large.AsSpan(0, length);
    }

    /// <summary>Adds the line filled in since <see cref="ReserveLine"/> plus '\n', attributed to <paramref name="messages"/>.</summary>
    public void CommitLine(ReadOnlySpan<int> messages)
    {
        if (_reserved < 0) throw new InvalidOperationException("No line was reserved.");
        var length = _reserved;
        _reserved = -1;
        var size = length + 1L;
        var oversized = size > _maxBytes;
        // The line is not counted as written yet, so a part opened here starts exactly at it.
        if (_partOpen && (oversized || _partBytes + size > _maxBytes)) ClosePart();
        if (!_partOpen) OpenPart();

        if (_large is { } large)
        {
            _large = null;
            large[length] = (byte)'\n';
            FlushPending();
            RandomAccess.Write(_file!, large.AsSpan(0, length + 1), _written);
            _written += size;
            ArrayPool<byte>.Shared.Return(large);
        }
        else
        {
            _pending[_pendingLength + length] = (byte)'\n';
            _pendingLength += length + 1;
        }
        _partBytes += size;
        _partLines++;
        TotalBytes += size;
        // Consecutive lines mostly come from the same message: skip the set for a repeat.
        if (messages is [var only])
        {
            if (only != _lastMessage) _partMessages.Add(_lastMessage = only);
        }
        else
        {
            foreach (var m in messages) _partMessages.Add(m);
            _lastMessage = -1;
        }
        if (oversized)
        {
            _partOversized = true;
            ClosePart();
        }
    }

    /// <summary>Closes the open part and the file; afterwards <see cref="Files"/> lists every part written.</summary>
    public IReadOnlyList<SpooledFile> Complete()
    {
        ClosePart();
        CloseFile();
        return _files;
    }

    private void OpenPart()
    {
        _partOpen = true;
        _partStart = _written + _pendingLength;
        _partBytes = 0;
        _partLines = 0;
        _partOversized = false;
        _partMessages.Clear();
        _lastMessage = -1;
    }

    private void FlushPending()
    {
        if (_pendingLength == 0) return;
        _file ??= File.OpenHandle(_path, _mode, FileAccess.Write, FileShare.Read);
        RandomAccess.Write(_file, _pending.AsSpan(0, _pendingLength), _written);
        _written += _pendingLength;
        _pendingLength = 0;
    }

    private void ClosePart()
    {
        if (!_partOpen) return;
        _partOpen = false;
        _files.Add(new SpooledFile(_path, _files.Count + 1, _partStart, _partBytes, _partLines, _partOversized, [.. _partMessages.Order()]));
    }

    private void CloseFile()
    {
        // Every committed line left at least its '\n' pending, so flushing creates the file whenever a part exists.
        FlushPending();
        if (_file is null) return;
        _file.Dispose();
        _file = null;
    }

    public void Dispose()
    {
        CloseFile();
        if (_pending.Length > 0) ArrayPool<byte>.Shared.Return(_pending);
        _pending = [];
        if (_large is not null) ArrayPool<byte>.Shared.Return(_large);
        _large = null;
    }
}

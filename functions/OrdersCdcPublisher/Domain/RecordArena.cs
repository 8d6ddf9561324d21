using System.Buffers;

namespace Pipelines.Orders.Cdc.Domain;

/// <summary>
/// Holds one batch's CDC records back to back in a few pooled chunks, so a record's bytes cost no array of their own.
/// The memory handed out is valid until <see cref="Dispose"/>, which the handler calls once the batch is published.
/// </summary>
internal sealed class RecordArena : IDisposable
{
    private const int ChunkBytes = 128 * 1024;

    private readonly List<byte[]> _chunks = [];
    private byte[]? _current;
    private int _used;

    public ReadOnlyMemory<byte> Append(ReadOnlySpan<byte> bytes)
    {
        if (_current is null || _current.Length - _used < bytes.Length)
        {
            // A new chunk; records already handed out stay where they are.
            _current = ArrayPool<byte>.Shared.Rent(Math.Max(ChunkBytes, bytes.Length));
            _chunks.Add(_current);
            _used = 0;
        }
        bytes.CopyTo(_current.AsSpan(_used));
        var memory = new ReadOnlyMemory<byte>(_current, _used, bytes.Length);
        _used += bytes.Length;
        return memory;
    }

    public void Dispose()
    {
        foreach (var chunk in _chunks) ArrayPool<byte>.Shared.Return(chunk);
        _chunks.Clear();
        _current = null;
        _used = 0;
    }
}

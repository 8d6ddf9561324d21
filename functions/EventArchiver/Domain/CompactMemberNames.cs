using System.Runtime.CompilerServices;

namespace Pipelines.Events.Domain;

/// <summary>
/// The member names of the objects <see cref="CompactEventScanner"/> has open, to find a repeated one (which it
/// leaves to the reader path, which reports it). Each open object keeps a 256-bit filter of name hashes, so a new
/// name is compared byte for byte only with the earlier names when its bit is already set: an event's dozen names
/// need a dozen bit tests instead of dozens of pairwise compares.
/// </summary>
internal ref struct CompactMemberNames
{
    // Per thread, not on the stack: a 1 KB stack buffer is zeroed on every call, about a tenth of a scan.
    [ThreadStatic] private static Buffers? t_buffers;

    private readonly Span<Name> _names;
    private readonly Span<OpenObject> _objects;
    private int _count;

    private CompactMemberNames(Buffers buffers)
    {
        _names = buffers.Names;
        _objects = buffers.Objects;
    }

    /// <summary>An empty set over the thread's buffers (each object's part is reset when it opens).</summary>
    public static CompactMemberNames ForThisThread() => new(t_buffers ??= new Buffers());

    /// <summary>Starts the object at <paramref name="depth"/> (the root is 1) with no names.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Open(int depth) => _objects[depth] = new OpenObject { FirstName = _count };

    /// <summary>Ends the object at <paramref name="depth"/>: its names are no longer compared.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Close(int depth) => _count = _objects[depth].FirstName;

    /// <summary>
    /// Adds a name of the object at <paramref name="depth"/>, found at <paramref name="start"/> in the payload;
    /// false when the object already has it, or when more names are open than there is room for.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Add(ReadOnlySpan<byte> json, int depth, int start, ReadOnlySpan<byte> name)
    {
        ref var open = ref _objects[depth];
        var hash = Hash(name);
        ref var word = ref open.Filter[hash >> 6];
        var bit = 1UL << (hash & 63);
        if ((word & bit) != 0)
        {
            for (var i = open.FirstName; i < _count; i++)
            {
                if (json.Slice(_names[i].Start, _names[i].Length).SequenceEqual(name)) return false;
            }
        }
        word |= bit;
        if (_count == _names.Length) return false;
        _names[_count++] = new Name(start, name.Length);
        return true;
    }

    /// <summary>Length and three bytes, spread over 0-255 by a multiplicative hash.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Hash(ReadOnlySpan<byte> name)
    {
        var key = name.IsEmpty ? 0u : (uint)name.Length | (uint)name[0] << 8 | (uint)name[name.Length / 2] << 16 | (uint)name[^1] << 24;
        return (int)((key * 0x9E3779B1u) >> 24);
    }

    private sealed class Buffers
    {
        public readonly Name[] Names = new Name[CompactEventScanner.MaxOpenNames];
        public readonly OpenObject[] Objects = new OpenObject[CompactEventScanner.MaxDepth + 1];
    }

    /// <summary>Where a name's text is in the payload.</summary>
    internal readonly record struct Name(int Start, int Length);

    internal struct OpenObject
    {
        public int FirstName;
        public Filter256 Filter;
    }

    [InlineArray(4)]
    internal struct Filter256
    {
        private ulong _word;
    }
}

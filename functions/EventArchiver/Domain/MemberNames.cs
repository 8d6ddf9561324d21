using System.Numerics;
using System.Text;
using System.Text.Json;

namespace Pipelines.Events.Domain;

/// <summary>
/// The duplicate-member check of <c>JsonDocument.Parse</c> with <c>AllowDuplicateProperties = false</c>, for a
/// single reader pass. Names are collected per open object and checked when the object closes, so objects are
/// checked innermost first and in document order, like JsonDocument's check after parsing, and the repeated name
/// reported is the same one. Names compare unescaped and case-sensitively. One instance per thread, reused.
/// </summary>
internal sealed class MemberNames
{
    /// <summary>Up to this many members an object is checked pairwise; beyond it, through a hash table.</summary>
    private const int PairwiseLimit = 16;
    private const int MaxRetainedBytes = 64 * 1024;

    [ThreadStatic] private static MemberNames? t_instance;

    private Name[] _names = new Name[32];
    private int _count;
    private int[] _objectStarts = new int[16];
    private int _depth;
    private byte[] _unescaped = new byte[256]; // escaped names, unescaped (rare)
    private int _unescapedUsed;

    /// <summary>The thread's instance, emptied.</summary>
    public static MemberNames ForThisThread()
    {
        var names = t_instance ??= new MemberNames();
        if (names._unescaped.Length > MaxRetainedBytes) names._unescaped = new byte[256];
        if (names._names.Length > MaxRetainedBytes / 8) names._names = new Name[32];
        names._count = 0;
        names._depth = 0;
        names._unescapedUsed = 0;
        names.SawUnreadableName = false;
        return names;
    }

    public void OpenObject()
    {
        if (_depth == _objectStarts.Length) Array.Resize(ref _objectStarts, _depth * 2);
        _objectStarts[_depth++] = _count;
    }

    /// <summary>A name held an unpaired surrogate escape: it cannot be compared (or written), so it was left out.</summary>
    public bool SawUnreadableName { get; private set; }

    /// <summary>Records the reader's current property name (a name of the innermost open object).</summary>
    public void Add(ref Utf8JsonReader reader)
    {
        if (_count == _names.Length) Array.Resize(ref _names, _count * 2);
        if (!reader.ValueIsEscaped)
        {
            // The text between the quotes, read from the payload when the object is checked.
            _names[_count++] = new Name(checked((int)reader.TokenStartIndex) + 1, reader.ValueSpan.Length, InPayload: true, Fingerprint(reader.ValueSpan));
            return;
        }
        if (_unescaped.Length - _unescapedUsed < reader.ValueSpan.Length)
            Array.Resize(ref _unescaped, Math.Max(_unescaped.Length * 2, _unescapedUsed + reader.ValueSpan.Length));
        int length;
        try
        {
            length = reader.CopyString(_unescaped.AsSpan(_unescapedUsed));
        }
        catch (InvalidOperationException)
        {
            SawUnreadableName = true;
            return;
        }
        _names[_count++] = new Name(_unescapedUsed, length, InPayload: false, Fingerprint(_unescaped.AsSpan(_unescapedUsed, length)));
        _unescapedUsed += length;
    }

    /// <summary>Closes the innermost object; returns the first of its names that repeats an earlier one, or null.</summary>
    public string? CloseObject(ReadOnlySpan<byte> payload)
    {
        var start = _objectStarts[--_depth];
        var names = _names.AsSpan(start, _count - start);
        _count = start;
        var repeated = names.Length <= PairwiseLimit ? FirstRepeatPairwise(names, payload) : FirstRepeatHashed(names, payload);
        return repeated < 0 ? null : Encoding.UTF8.GetString(Text(names[repeated], payload));
    }

    private int FirstRepeatPairwise(ReadOnlySpan<Name> names, ReadOnlySpan<byte> payload)
    {
        for (var i = 1; i < names.Length; i++)
        {
            for (var j = 0; j < i; j++)
            {
                if (names[i].Fingerprint == names[j].Fingerprint && Text(names[i], payload).SequenceEqual(Text(names[j], payload)))
                    return i;
            }
        }
        return -1;
    }

    private int FirstRepeatHashed(ReadOnlySpan<Name> names, ReadOnlySpan<byte> payload)
    {
        // Open addressing over name indexes (+1, so 0 is empty), at most half full.
        var slots = new int[(int)BitOperations.RoundUpToPowerOf2((uint)names.Length * 2)];
        for (var i = 0; i < names.Length; i++)
        {
            var name = Text(names[i], payload);
            var slot = (int)(Fnv1a(name) & (uint)(slots.Length - 1));
            while (slots[slot] != 0)
            {
                if (name.SequenceEqual(Text(names[slots[slot] - 1], payload))) return i;
                slot = (slot + 1) & (slots.Length - 1);
            }
            slots[slot] = i + 1;
        }
        return -1;
    }

    private ReadOnlySpan<byte> Text(Name name, ReadOnlySpan<byte> payload) =>
        name.InPayload ? payload.Slice(name.Start, name.Length) : _unescaped.AsSpan(name.Start, name.Length);

    private static uint Fnv1a(ReadOnlySpan<byte> bytes)
    {
        var hash = 2166136261u;
        foreach (var b in bytes) hash = (hash ^ b) * 16777619u;
        return hash;
    }

    /// <summary>Length and three bytes: names that differ almost always differ here, so most pairs need no byte compare.</summary>
    private static int Fingerprint(ReadOnlySpan<byte> name) =>
        name.IsEmpty ? 0 : name.Length ^ (name[0] << 8) ^ (name[^1] << 16) ^ (name[name.Length / 2] << 24);

    private readonly record struct Name(int Start, int Length, bool InPayload, int Fingerprint);
}

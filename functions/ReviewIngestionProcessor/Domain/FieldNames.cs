using System.Text;

namespace Pipelines.Reviews.Domain;

/// <summary>
/// The names seen so far in each JSON object being read (objects nest, so their name lists stack), to refuse
/// duplicates as DynamoDB would. Names are compared as unescaped UTF-8; a review has a dozen fields, so scanning
/// beats hashing, and only an object with many fields switches to a set.
/// </summary>
internal sealed class FieldNames
{
    private const int SmallObject = 16;
    private const int RetainedBytes = 64 * 1024;

    private byte[] _bytes = new byte[512];
    private int _used;
    private (int Start, int Length)[] _names = new (int, int)[64];
    private int _count;

    /// <summary>Where one object's names start; <see cref="Set"/> takes over once the object is large.</summary>
    public struct Scope
    {
        internal int BytesStart;
        internal int NamesStart;
        internal HashSet<string>? Set;
    }

    public void Clear()
    {
        _used = 0;
        _count = 0;
        // A payload with thousands of names should not pin its buffers to the thread for good.
        if (_bytes.Length > RetainedBytes) _bytes = new byte[512];
        if (_names.Length > RetainedBytes / 16) _names = new (int, int)[64];
    }

    public Scope Open() => new() { BytesStart = _used, NamesStart = _count };

    /// <summary>Forgets the names of the object <paramref name="scope"/> opened (the enclosing object's stay).</summary>
    public void Close(in Scope scope)
    {
        _used = scope.BytesStart;
        _count = scope.NamesStart;
    }

    /// <summary>Records <paramref name="name"/> in the object <paramref name="scope"/> opened; false when it is already there.</summary>
    public bool Add(ref Scope scope, ReadOnlySpan<byte> name)
    {
        if (scope.Set is { } set) return set.Add(Encoding.UTF8.GetString(name));
        for (var i = scope.NamesStart; i < _count; i++)
        {
            var (start, length) = _names[i];
            if (name.SequenceEqual(_bytes.AsSpan(start, length))) return false;
        }
        if (_count - scope.NamesStart == SmallObject)
        {
            scope.Set = new HashSet<string>(StringComparer.Ordinal);
            for (var i = scope.NamesStart; i < _count; i++) scope.Set.Add(Encoding.UTF8.GetString(_bytes.AsSpan(_names[i].Start, _names[i].Length)));
            return scope.Set.Add(Encoding.UTF8.GetString(name));
        }
        Append(name);
        return true;
    }

    private void Append(ReadOnlySpan<byte> name)
    {
        if (_bytes.Length - _used < name.Length) Array.Resize(ref _bytes, Math.Max(_bytes.Length * 2, _used + name.Length));
        if (_count == _names.Length) Array.Resize(ref _names, _names.Length * 2);
        name.CopyTo(_bytes.AsSpan(_used));
        _names[_count++] = (_used, name.Length);
        _used += name.Length;
    }
}

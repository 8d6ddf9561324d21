using System.Text;

namespace Pipelines.Catalog.Domain;

/// <summary>
/// Turns the UTF-8 of values that repeat on almost every line (partner ids, content types) into one shared string
/// each, so parsing a line does not allocate them and later lookups can match them by reference. It keeps at most
/// <see cref="MaxEntries"/> strings; past that, values are decoded afresh each time (correct, only slower).
/// </summary>
internal sealed class Utf8StringInterner
{
    public const int MaxEntries = 4096;
    private const int RecentCount = 4;

    private readonly Dictionary<byte[], string> _strings = new(Utf8BytesComparer.Instance);
    private readonly Dictionary<byte[], string>.AlternateLookup<ReadOnlySpan<byte>> _lookup;
    // The last few values found: a file repeats one partner and a few content types, so comparing a handful of short
    // byte strings usually answers without hashing.
    private readonly (byte[] Utf8, string Value)[] _recent = new (byte[], string)[RecentCount];
    private int _nextRecent;

    public Utf8StringInterner()
    {
        _lookup = _strings.GetAlternateLookup<ReadOnlySpan<byte>>();
        _recent.AsSpan().Fill(([], ""));
    }

    /// <summary>The string for <paramref name="utf8"/>, which must be valid UTF-8.</summary>
    public string Intern(ReadOnlySpan<byte> utf8)
    {
        foreach (var (bytes, recent) in _recent)
            if (utf8.SequenceEqual(bytes)) return recent;
        if (!_lookup.TryGetValue(utf8, out var stored, out var value))
        {
            value = Encoding.UTF8.GetString(utf8);
            if (_strings.Count >= MaxEntries) return value;
            stored = utf8.ToArray();
            _strings.Add(stored, value);
        }
        _recent[_nextRecent] = (stored, value);
        _nextRecent = (_nextRecent + 1) % RecentCount;
        return value;
    }
}

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

    private readonly Dictionary<byte[], string> _strings = new(Utf8BytesComparer.Instance);
    private readonly Dictionary<byte[], string>.AlternateLookup<ReadOnlySpan<byte>> _lookup;

    public Utf8StringInterner() => _lookup = _strings.GetAlternateLookup<ReadOnlySpan<byte>>();

    /// <summary>The string for <paramref name="utf8"/>, which must be valid UTF-8.</summary>
    public string Intern(ReadOnlySpan<byte> utf8)
    {
        if (_lookup.TryGetValue(utf8, out var value)) return value;
        value = Encoding.UTF8.GetString(utf8);
        if (_strings.Count < MaxEntries) _strings.Add(utf8.ToArray(), value);
        return value;
    }
}

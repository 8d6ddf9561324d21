using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipelines.Catalog.Domain;

/// <summary>
/// Interns field names: every distinct name is stored once (as a string and as its escaped UTF-8 JSON form for
/// output), and records refer to names by a small integer. Partner files repeat the same few names on every line.
/// </summary>
internal sealed class FieldNameTable
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly List<string> _names = [];
    private readonly List<byte[]> _encoded = [];

    public FieldNameTable() => _lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();

    public int Count => _names.Count;

    public int GetOrAdd(ReadOnlySpan<char> name)
    {
        if (_lookup.TryGetValue(name, out var id)) return id;
        var s = name.ToString();
        id = _names.Count;
        _ids.Add(s, id);
        _names.Add(s);
        _encoded.Add(JsonEncodedText.Encode(s, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes.ToArray());
        return id;
    }

    public string NameOf(int id) => _names[id];

    /// <summary>The name escaped for a JSON string, without quotes.</summary>
    public ReadOnlySpan<byte> EncodedNameOf(int id) => _encoded[id];
}

using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipelines.Catalog.Domain;

/// <summary>
/// Interns field names: every distinct name is stored once (as a string and as the escaped UTF-8 JSON member prefix
/// the output writes), and records refer to names by a small integer. Partner files repeat the same few names on every line, so
/// names written without escapes are also looked up by their UTF-8 bytes, without decoding them.
/// </summary>
internal sealed class FieldNameTable
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly Dictionary<byte[], int> _utf8Ids = new(Utf8BytesComparer.Instance);
    private readonly Dictionary<byte[], int>.AlternateLookup<ReadOnlySpan<byte>> _utf8Lookup;
    private readonly List<string> _names = [];
    private readonly List<byte[]> _members = [];

    public FieldNameTable()
    {
        _lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();
        _utf8Lookup = _utf8Ids.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public int Count => _names.Count;

    public int GetOrAdd(ReadOnlySpan<char> name)
    {
        if (_lookup.TryGetValue(name, out var id)) return id;
        var s = name.ToString();
        id = _names.Count;
        _ids.Add(s, id);
        _names.Add(s);
        var escaped = JsonEncodedText.Encode(s, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes;
        var member = new byte[escaped.Length + 3];
        member[0] = member[^2] = (byte)'"';
        member[^1] = (byte)':';
        escaped.CopyTo(member.AsSpan(1));
        _members.Add(member);
        return id;
    }

    /// <summary>The id of a name given as valid UTF-8 (a JSON name that had no escapes); <paramref name="stored"/> is a copy of those bytes the table keeps.</summary>
    public int GetOrAddUtf8(ReadOnlySpan<byte> name, out byte[] stored)
    {
        if (_utf8Lookup.TryGetValue(name, out stored!, out var id)) return id;
        id = GetOrAdd(Encoding.UTF8.GetString(name));
        stored = name.ToArray();
        _utf8Ids.Add(stored, id);
        return id;
    }

    public string NameOf(int id) => _names[id];

    /// <summary>The name as it starts a JSON member: escaped, quoted and followed by ':' (one write per field on output).</summary>
    public ReadOnlySpan<byte> MemberPrefixOf(int id) => _members[id];
}

namespace Pipelines.Catalog.Domain;

/// <summary>Maps strings that repeat on every line (partner ids) to small integers, so per-field state stays small.</summary>
internal sealed class InternTable
{
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<string> _values = [];

    public int GetOrAdd(string value)
    {
        if (_ids.TryGetValue(value, out var id)) return id;
        id = _values.Count;
        _ids.Add(value, id);
        _values.Add(value);
        return id;
    }

    public string this[int id] => _values[id];
}

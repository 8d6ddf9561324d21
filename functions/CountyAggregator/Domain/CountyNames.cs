using System.Text;

namespace Pipelines.Counties.Domain;

/// <summary>
/// The counties a container has seen, each with a small id: a row's county is looked up by its UTF-8 bytes, so its
/// string is made once per distinct county rather than once per row. Bounded, because counties come from the data.
/// </summary>
internal sealed class CountyNames
{
    /// <summary>Far more than a real data set has (New York has 62 counties); past it the table starts over.</summary>
    public const int MaxRemembered = 4096;

    private readonly Dictionary<byte[], int> _ids;
    private readonly Dictionary<byte[], int>.AlternateLookup<ReadOnlySpan<byte>> _idsBySpan;
    private readonly List<string> _names = [];

    public CountyNames()
    {
        _ids = new Dictionary<byte[], int>(Utf8KeyComparer.Instance);
        _idsBySpan = _ids.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public int Count => _names.Count;

    /// <summary>The county's name as a string.</summary>
    public string this[int id] => _names[id];

    /// <summary>The id of the county spelled by <paramref name="utf8"/>, adding it when new.</summary>
    public int IdOf(ReadOnlySpan<byte> utf8)
    {
        if (_idsBySpan.TryGetValue(utf8, out var id)) return id;
        id = _names.Count;
        _names.Add(Encoding.UTF8.GetString(utf8));
        _idsBySpan[utf8] = id;
        return id;
    }

    /// <summary>Forgets every county once more than <see cref="MaxRemembered"/> are known (ids change: call between batches).</summary>
    public void ForgetIfFull()
    {
        if (_names.Count <= MaxRemembered) return;
        _ids.Clear();
        _names.Clear();
    }
}

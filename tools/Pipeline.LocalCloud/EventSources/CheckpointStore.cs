using System.Collections.Concurrent;
using System.Text.Json;

namespace Pipelines.LocalCloud.EventSources;

/// <summary>
/// Where each stream consumer got to (last settled sequence number per consumer and shard), kept in a JSON file so a
/// cloud restarted on kept state resumes after it, as an existing event source mapping does, instead of replaying the
/// stream from the trim horizon. Written at most every second and on dispose.
/// </summary>
public sealed class CheckpointStore : IAsyncDisposable
{
    private readonly string? _path;
    private readonly ConcurrentDictionary<string, string> _positions;
    private readonly Timer? _timer;
    private int _dirty;

    public CheckpointStore(string? path)
    {
        _path = path;
        _positions = new ConcurrentDictionary<string, string>(Load(path), StringComparer.Ordinal);
        if (path is not null) _timer = new Timer(_ => Flush(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public static string Key(string consumer, string streamArn, string shardId) => $"{consumer}|{streamArn}|{shardId}";

    public string? Get(string key) => _positions.GetValueOrDefault(key);

    public void Set(string key, string sequenceNumber)
    {
        _positions[key] = sequenceNumber;
        Volatile.Write(ref _dirty, 1);
    }

    private static Dictionary<string, string> Load(string? path)
    {
        if (path is null || !File.Exists(path)) return [];
        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path)) ?? [];
        }
        catch (JsonException)
        {
            return []; // a torn file: start from the trim horizon rather than fail
        }
    }

    private void Flush()
    {
        if (_path is null || Interlocked.Exchange(ref _dirty, 0) == 0) return;
        lock (_positions)
        {
            var tmp = _path + ".tmp";
            File.WriteAllText(tmp, JsonSerializer.Serialize(new SortedDictionary<string, string>(_positions, StringComparer.Ordinal)));
            File.Move(tmp, _path, overwrite: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_timer is not null) await _timer.DisposeAsync();
        Flush();
    }
}

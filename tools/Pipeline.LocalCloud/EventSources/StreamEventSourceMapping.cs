using Pipelines.LocalCloud.Functions;

namespace Pipelines.LocalCloud.EventSources;

/// <summary>
/// A Kinesis or DynamoDB Streams event source mapping: one poller per shard, one batch in flight per shard
/// (parallelization factor 1), batches of up to BatchSize gathered for up to MaximumBatchingWindow, each settled by
/// <see cref="StreamBatchSettler"/> before the next one starts, so records of a shard reach the function in order.
/// </summary>
public sealed class StreamEventSourceMapping : IAsyncDisposable
{
    private readonly StreamMappingSettings _settings;
    private readonly IStreamShardSource _source;
    private readonly StreamBatchSettler _settler;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _shards = [];
    private readonly Action<string>? _log;
    private readonly CheckpointStore? _checkpoints;

    public MappingStats Stats { get; }

    public string Name => Stats.Name;

    public string FunctionName => _settings.FunctionName;

    public StreamEventSourceMapping(
        StreamMappingSettings settings, IStreamShardSource source, IFunctionInvoker invoker, IOnFailureDestination? onFailure,
        Action<string>? log = null, CheckpointStore? checkpoints = null)
    {
        _settings = settings;
        _checkpoints = checkpoints;
        _source = source;
        _log = log;
        Stats = new MappingStats($"{source.StreamArn.Split('/').Skip(1).FirstOrDefault() ?? source.StreamArn} -> {settings.FunctionName}");
        _settler = new StreamBatchSettler(settings, source, invoker, onFailure, Stats);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var shardIds = await _source.ListShardsAsync(cancellationToken);
        foreach (var shardId in shardIds)
            _shards.Add(Task.Run(() => RunShardAsync(shardId, _stop.Token), CancellationToken.None));
    }

    private async Task RunShardAsync(string shardId, CancellationToken ct)
    {
        IShardCursor? cursor = null;
        var pending = new List<StreamSourceRecord>();
        var pendingBytes = 0;
        DateTimeOffset? windowStart = null;
        var errorDelay = TimeSpan.FromMilliseconds(200);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                cursor ??= await _source.OpenAsync(shardId, _settings.StartingPosition, _checkpoints?.Get(CheckpointKey(shardId)), ct);
                var readNothing = true;
                if (pending.Count < _settings.BatchSize && pendingBytes < _settings.MaximumPayloadBytes)
                {
                    var read = await cursor.ReadAsync(_settings.BatchSize - pending.Count, ct);
                    if (read.Count > 0)
                    {
                        if (pending.Count == 0) Stats.EnterBusy();
                        readNothing = false;
                        pending.AddRange(read);
                        pendingBytes += read.Sum(r => r.SizeBytes);
                        Stats.Read(read.Count);
                        windowStart ??= DateTimeOffset.UtcNow;
                    }
                }
                errorDelay = TimeSpan.FromMilliseconds(200);

                if (pending.Count == 0)
                {
                    await Task.Delay(_settings.PollInterval, ct);
                    continue;
                }

                var full = pending.Count >= _settings.BatchSize || pendingBytes >= _settings.MaximumPayloadBytes;
                var windowOver = DateTimeOffset.UtcNow - windowStart >= _settings.MaximumBatchingWindow;
                if (!full && !windowOver)
                {
                    if (readNothing) await Task.Delay(Min(_settings.PollInterval, _settings.MaximumBatchingWindow), ct);
                    continue;
                }

                var batch = TakeBatch(pending);
                await _settler.SettleAsync(shardId, batch, ct);
                _checkpoints?.Set(CheckpointKey(shardId), batch[^1].SequenceNumber);
                pending.RemoveRange(0, batch.Count);
                pendingBytes = pending.Sum(r => r.SizeBytes);
                windowStart = pending.Count > 0 ? DateTimeOffset.UtcNow : null;
                if (pending.Count == 0) Stats.ExitBusy();
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                // The source (emulator) is down or answered with an error: keep position, back off, try again.
                Stats.ReadError();
                _log?.Invoke($"{Name} {shardId}: {e.GetType().Name}: {e.Message} (retrying)");
                try { await Task.Delay(errorDelay, ct); }
                catch (OperationCanceledException) { return; }
                errorDelay = Min(errorDelay * 2, TimeSpan.FromSeconds(2));
            }
        }
    }

    private string CheckpointKey(string shardId) => CheckpointStore.Key(_settings.FunctionName, _source.StreamArn, shardId);

    private List<StreamSourceRecord> TakeBatch(List<StreamSourceRecord> pending)
    {
        var batch = new List<StreamSourceRecord>();
        var bytes = 0;
        foreach (var r in pending)
        {
            if (batch.Count == _settings.BatchSize) break;
            if (batch.Count > 0 && bytes + r.SizeBytes > _settings.MaximumPayloadBytes) break;
            batch.Add(r);
            bytes += r.SizeBytes;
        }
        return batch;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_shards);
        _stop.Dispose();
    }
}

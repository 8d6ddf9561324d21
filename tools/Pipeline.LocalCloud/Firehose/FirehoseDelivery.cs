using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipelines.LocalCloud.EventSources;
using Pipelines.LocalCloud.Functions;

namespace Pipelines.LocalCloud.Firehose;

/// <summary>
/// A Firehose delivery stream (named FirehoseDelivery: analyzers reserve *Stream for System.IO types) with a Kinesis source, a Lambda transform and an S3 destination with dynamic partitioning:
/// reads every shard, buffers for the processor (size / interval), invokes the transform, writes <c>Ok</c> records under the
/// prefix rendered from the returned partition keys (buffered per prefix by size / interval) and <c>ProcessingFailed</c>
/// ones (or all of a batch whose invocation kept failing) as error records under the error prefix. <c>Dropped</c> records vanish.
/// </summary>
public sealed class FirehoseDelivery : IAsyncDisposable
{
    private readonly FirehoseSettings _settings;
    private readonly IStreamShardSource _source;
    private readonly IFunctionInvoker _invoker;
    private readonly IObjectWriter _writer;
    private readonly Action<string>? _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _tasks = [];
    private readonly List<FirehoseSourceRecord> _processorBuffer = [];
    private long _processorBytes;
    private DateTimeOffset? _processorFirst;
    private readonly Dictionary<string, DeliveryBuffer> _delivery = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _recordsOk;
    private long _recordsFailed;
    private long _recordsDropped;
    private long _objectsWritten;

    public MappingStats Stats { get; }

    public string FunctionName => _settings.TransformFunction;

    public long RecordsDelivered => Interlocked.Read(ref _recordsOk);
    public long RecordsToErrorPrefix => Interlocked.Read(ref _recordsFailed);
    public long RecordsDropped => Interlocked.Read(ref _recordsDropped);
    public long ObjectsWritten => Interlocked.Read(ref _objectsWritten);

    private sealed class DeliveryBuffer(DateTimeOffset first, DateTimeOffset timestamp)
    {
        public MemoryStream Content { get; } = new();
        public DateTimeOffset First { get; } = first;
        public DateTimeOffset Timestamp { get; } = timestamp;
        public int Records { get; set; }
        public bool IsError { get; init; }
    }

    private readonly CheckpointStore? _checkpoints;
    private readonly ConcurrentDictionary<string, string> _lastRead = new(StringComparer.Ordinal);

    public FirehoseDelivery(FirehoseSettings settings, IStreamShardSource source, IFunctionInvoker invoker, IObjectWriter writer,
        Action<string>? log = null, CheckpointStore? checkpoints = null)
    {
        _checkpoints = checkpoints;
        _settings = settings;
        _source = source;
        _invoker = invoker;
        _writer = writer;
        _log = log;
        Stats = new MappingStats($"firehose {settings.Name} -> s3://{settings.Bucket}");
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var shard in await _source.ListShardsAsync(cancellationToken))
            _tasks.Add(Task.Run(() => ReadShardAsync(shard, _stop.Token), CancellationToken.None));
        _tasks.Add(Task.Run(() => ProcessLoopAsync(_stop.Token), CancellationToken.None));
    }

    /// <summary>True when nothing is buffered or being processed.</summary>
    public bool IsIdle
    {
        get { lock (_gate) return _processorBuffer.Count == 0 && _delivery.Count == 0 && !Stats.IsBusy; }
    }

    private async Task ReadShardAsync(string shardId, CancellationToken ct)
    {
        IShardCursor? cursor = null;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                cursor ??= await _source.OpenAsync(shardId, "TRIM_HORIZON", _checkpoints?.Get(CheckpointKey(shardId)), ct);
                var records = await cursor.ReadAsync(10_000, ct);
                if (records.Count == 0)
                {
                    await Task.Delay(_settings.PollInterval, ct);
                    continue;
                }
                Stats.Read(records.Count);
                lock (_gate)
                {
                    _lastRead[shardId] = records[^1].SequenceNumber;
                    foreach (var r in records)
                    {
                        var k = r.EventRecord["kinesis"]!;
                        var data = Convert.FromBase64String(k["data"]!.GetValue<string>());
                        _processorBuffer.Add(new FirehoseSourceRecord(
                            r.SequenceNumber + "000000000000000000000", shardId, k["partitionKey"]!.GetValue<string>(), r.SequenceNumber,
                            r.ApproximateArrival, data));
                        _processorBytes += data.Length;
                    }
                    _processorFirst ??= DateTimeOffset.UtcNow;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                Stats.ReadError();
                _log?.Invoke($"{Stats.Name} {shardId}: {e.Message} (retrying)");
                try { await Task.Delay(500, ct); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    private async Task ProcessLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                List<FirehoseSourceRecord>? batch = null;
                lock (_gate)
                {
                    var due = _processorFirst is { } first && DateTimeOffset.UtcNow - first >= _settings.ProcessorBufferInterval;
                    if (_processorBuffer.Count > 0 && (due || _processorBytes >= _settings.ProcessorBufferSizeBytes))
                    {
                        batch = TakeProcessorBatch();
                        Stats.EnterBusy();
                    }
                }
                if (batch is not null)
                {
                    try
                    {
                        await TransformAsync(batch, ct);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        // The transform could not even be invoked (its process failed to start): keep the records.
                        Stats.ReadError();
                        _log?.Invoke($"{Stats.Name}: invoking {_settings.TransformFunction} failed: {e.Message} (retrying)");
                        lock (_gate)
                        {
                            _processorBuffer.InsertRange(0, batch);
                            _processorBytes += batch.Sum(r => r.Data.Length);
                            _processorFirst ??= DateTimeOffset.UtcNow;
                        }
                        await Task.Delay(1000, ct);
                    }
                    finally
                    {
                        Stats.ExitBusy();
                    }
                }
                await FlushDueAsync(ct);
                SaveCheckpointsWhenIdle();
                if (batch is null) await Task.Delay(_settings.PollInterval, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private string CheckpointKey(string shardId) => CheckpointStore.Key("firehose:" + _settings.Name, _source.StreamArn, shardId);

    /// <summary>Only when nothing is buffered is everything read also delivered: then the read positions are safe to keep.</summary>
    private void SaveCheckpointsWhenIdle()
    {
        if (_checkpoints is null) return;
        lock (_gate)
        {
            if (_processorBuffer.Count > 0 || _delivery.Count > 0 || Stats.IsBusy) return;
            foreach (var (shard, sequence) in _lastRead) _checkpoints.Set(CheckpointKey(shard), sequence);
        }
    }

    private List<FirehoseSourceRecord> TakeProcessorBatch()
    {
        var batch = new List<FirehoseSourceRecord>();
        long bytes = 0;
        while (_processorBuffer.Count > batch.Count && (batch.Count == 0 || bytes + _processorBuffer[batch.Count].Data.Length <= _settings.ProcessorBufferSizeBytes))
        {
            bytes += _processorBuffer[batch.Count].Data.Length;
            batch.Add(_processorBuffer[batch.Count]);
        }
        _processorBuffer.RemoveRange(0, batch.Count);
        _processorBytes -= bytes;
        _processorFirst = _processorBuffer.Count > 0 ? DateTimeOffset.UtcNow : null;
        return batch;
    }

    private async Task TransformAsync(List<FirehoseSourceRecord> batch, CancellationToken ct)
    {
        var lambdaArn = OnFailureRecord.FunctionArn(_settings.TransformFunction);
        string? lastError = null;
        string lastCode = "Lambda.FunctionError";
        for (var attempt = 1; attempt <= _settings.ProcessorRetries + 1; attempt++)
        {
            var payload = Encoding.UTF8.GetBytes(FirehoseEventJson.Event(_settings.Name, _source.StreamArn, Guid.NewGuid().ToString(), batch).ToJsonString());
            var result = await _invoker.InvokeAsync(_settings.TransformFunction, payload, ct);
            Stats.Invoked();
            if (result.IsFunctionError)
            {
                Stats.FunctionError();
                lastCode = "Lambda.FunctionError";
                lastError = "The Lambda function was successfully invoked but it returned an error result.";
                continue;
            }
            if (TryReadResponse(result.Payload, batch, out var records, out var problem))
            {
                Route(batch, records, attempt, lambdaArn);
                return;
            }
            Stats.FunctionError();
            lastCode = "Lambda.InvalidResponse";
            lastError = problem;
        }
        // Every attempt failed: the whole batch goes to the error prefix as processing-failed.
        var now = DateTimeOffset.UtcNow;
        lock (_gate)
        {
            foreach (var r in batch)
                AddError(r, FirehoseEventJson.ErrorRecord(r, _settings.ProcessorRetries + 1, lastCode, lastError ?? "", lambdaArn, now));
        }
        Interlocked.Add(ref _recordsFailed, batch.Count);
    }

    private sealed record Returned(string Result, byte[] Data, Dictionary<string, string>? PartitionKeys);

    /// <summary>Firehose's checks: every record id comes back exactly once, with a known result and valid base64 data.</summary>
    private static bool TryReadResponse(ReadOnlyMemory<byte> payload, List<FirehoseSourceRecord> batch, out Dictionary<string, Returned> records, out string problem)
    {
        records = new Dictionary<string, Returned>(StringComparer.Ordinal);
        problem = "";
        try
        {
            using var doc = JsonDocument.Parse(payload);
            if (!doc.RootElement.TryGetProperty("records", out var array) || array.ValueKind != JsonValueKind.Array)
            {
                problem = "The response has no records array.";
                return false;
            }
            foreach (var r in array.EnumerateArray())
            {
                var id = r.GetProperty("recordId").GetString() ?? "";
                var result = r.GetProperty("result").GetString() ?? "";
                if (result is not ("Ok" or "Dropped" or "ProcessingFailed"))
                {
                    problem = $"Invalid result '{result}' for record {id}.";
                    return false;
                }
                var data = r.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.String ? Convert.FromBase64String(d.GetString()!) : [];
                Dictionary<string, string>? keys = null;
                if (r.TryGetProperty("metadata", out var meta) && meta.ValueKind == JsonValueKind.Object &&
                    meta.TryGetProperty("partitionKeys", out var pk) && pk.ValueKind == JsonValueKind.Object)
                {
                    keys = pk.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.ToString(), StringComparer.Ordinal);
                }
                if (!records.TryAdd(id, new Returned(result, data, keys)))
                {
                    problem = $"Duplicated record id {id}.";
                    return false;
                }
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or FormatException or InvalidOperationException)
        {
            problem = "The response could not be parsed: " + e.Message;
            return false;
        }
        var found = records;
        var missing = batch.FirstOrDefault(b => !found.ContainsKey(b.RecordId));
        if (missing is not null || records.Count != batch.Count)
        {
            problem = missing is not null ? $"Record id {missing.RecordId} is missing from the response." : "The response has record ids that were not sent.";
            return false;
        }
        return true;
    }

    private void Route(List<FirehoseSourceRecord> batch, Dictionary<string, Returned> returned, int attempts, string lambdaArn)
    {
        var now = DateTimeOffset.UtcNow;
        lock (_gate)
        {
            foreach (var source in batch)
            {
                var r = returned[source.RecordId];
                switch (r.Result)
                {
                    case "Dropped":
                        Interlocked.Increment(ref _recordsDropped);
                        break;
                    case "ProcessingFailed":
                        AddError(source, FirehoseEventJson.ErrorRecord(source, attempts, "Lambda.ProcessingFailedStatus", "ProcessingFailed status returned from Lambda", lambdaArn, now));
                        Interlocked.Increment(ref _recordsFailed);
                        break;
                    default:
                        var prefix = FirehosePrefix.Render(_settings.Prefix, r.PartitionKeys, source.ApproximateArrival);
                        if (prefix is null)
                        {
                            AddError(source, FirehoseEventJson.ErrorRecord(source, attempts, "DynamicPartitioning.MetadataExtractionFailed",
                                "A partition key used in the S3 prefix is missing from the record's metadata.", lambdaArn, now), "partitioning-failed");
                            Interlocked.Increment(ref _recordsFailed);
                            break;
                        }
                        Append(prefix, r.Data, source.ApproximateArrival, isError: false);
                        Interlocked.Increment(ref _recordsOk);
                        break;
                }
            }
        }
        Stats.Completed(batch.Count);
    }

    private void AddError(FirehoseSourceRecord source, JsonObject error, string errorOutputType = "processing-failed")
    {
        var prefix = FirehosePrefix.Render(_settings.ErrorPrefix, null, DateTimeOffset.UtcNow, errorOutputType) ?? $"errors/{errorOutputType}/";
        Append(prefix, Encoding.UTF8.GetBytes(error.ToJsonString() + "\n"), source.ApproximateArrival, isError: true);
    }

    private void Append(string prefix, byte[] data, DateTimeOffset arrival, bool isError)
    {
        if (!_delivery.TryGetValue(prefix, out var buffer))
        {
            buffer = new DeliveryBuffer(DateTimeOffset.UtcNow, arrival) { IsError = isError };
            _delivery[prefix] = buffer;
        }
        buffer.Content.Write(data);
        buffer.Records++;
    }

    private async Task FlushDueAsync(CancellationToken ct)
    {
        List<(string Prefix, DeliveryBuffer Buffer)> due;
        lock (_gate)
        {
            due = _delivery
                .Where(kv => kv.Value.Content.Length >= _settings.BufferingSizeBytes || DateTimeOffset.UtcNow - kv.Value.First >= _settings.BufferingInterval)
                .Select(kv => (kv.Key, kv.Value)).ToList();
        }
        foreach (var (prefix, buffer) in due)
        {
            // Object names follow Firehose's: <prefix><stream>-<version>-<yyyy-MM-dd-HH-mm-ss>-<uuid>.
            var key = string.Create(CultureInfo.InvariantCulture,
                $"{prefix}{_settings.Name}-1-{buffer.First.UtcDateTime:yyyy-MM-dd-HH-mm-ss}-{Guid.NewGuid()}");
            await WriteUntilStoredAsync(key, buffer.Content.ToArray(), ct);
            lock (_gate) _delivery.Remove(prefix);
            Interlocked.Increment(ref _objectsWritten);
        }
    }

    private async Task WriteUntilStoredAsync(string key, byte[] content, CancellationToken ct)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        while (true)
        {
            try
            {
                await _writer.PutAsync(_settings.Bucket, key, content, ct);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Firehose keeps retrying S3 delivery (for up to a day); locally: until it works or we stop.
                Stats.ReadError();
                _log?.Invoke($"{Stats.Name}: writing {key} failed: {e.Message} (retrying)");
                await Task.Delay(delay, ct);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 2000));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_tasks);
        _stop.Dispose();
        lock (_gate)
        {
            foreach (var b in _delivery.Values) b.Content.Dispose();
        }
    }
}

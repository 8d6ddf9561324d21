using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Pipelines.LocalCloud.DynamoDbStreams;
using Pipelines.LocalCloud.Emulators;
using Pipelines.LocalCloud.EventSources;
using Pipelines.LocalCloud.Firehose;
using Pipelines.LocalCloud.Functions;
using Pipelines.LocalCloud.Provisioning;
using Pipelines.LocalCloud.RuntimeApi;
using Pipelines.LocalCloud.S3Notifications;
using Pipelines.LocalCloud.Topology;

namespace Pipelines.LocalCloud.Host;

/// <summary>
/// The local cloud: the npm emulators plus what no emulator provides, wired from the topology. DynamoDB traffic goes
/// through <see cref="DynamoDbChangeCaptureProxy"/> (streams); s3rver's object events become S3 -> SQS notifications;
/// each function runs as its own process through the Lambda Runtime API with the environment Terraform would give it,
/// fed by event source mappings (Kinesis, DynamoDB Streams, SQS) and Firehose with the same settings as in AWS.
/// </summary>
public sealed class LocalCloudHost : IAsyncDisposable
{
    private readonly LocalCloudOptions _options;
    private readonly List<IAsyncDisposable> _owned = [];
    private readonly List<StreamEventSourceMapping> _streamMappings = [];
    private readonly List<SqsEventSourceMapping> _sqsMappings = [];
    private readonly List<FirehoseDelivery> _firehoses = [];
    private readonly ConcurrentDictionary<string, StreamWriter> _logs = new(StringComparer.Ordinal);
    private FunctionProcessInvoker? _processes;
    private bool _ownsState;

    public TopologyDocument Topology { get; }
    public string RepoRoot { get; }
    public string StateDirectory { get; }
    public LocalEmulators Emulators { get; private set; } = null!;
    public DynamoDbChangeCaptureProxy DynamoDb { get; private set; } = null!;
    public S3NotificationRouter Notifications { get; private set; } = null!;
    public LocalClients Clients { get; private set; } = null!;
    public IFunctionInvoker Invoker { get; private set; } = null!;
    public FunctionMetricsCollector Metrics { get; } = new();
    public Provisioner.Result Provisioned { get; private set; } = null!;

    /// <summary>Stream consumers' positions, in the state folder so --keep-state resumes where the last run stopped.</summary>
    public CheckpointStore Checkpoints { get; private set; } = null!;

    /// <summary>Where each function's stdout/stderr (JSON logs, EMF metrics) is written.</summary>
    public string LogDirectory => Path.Combine(StateDirectory, "logs");

    public IReadOnlyList<StreamEventSourceMapping> StreamMappings => _streamMappings;
    public IReadOnlyList<SqsEventSourceMapping> SqsMappings => _sqsMappings;
    public IReadOnlyList<FirehoseDelivery> Firehoses => _firehoses;

    private LocalCloudHost(LocalCloudOptions options, TopologyDocument topology, string repoRoot, string state)
    {
        _options = options;
        Topology = topology;
        RepoRoot = repoRoot;
        StateDirectory = state;
    }

    public static async Task<LocalCloudHost> StartAsync(LocalCloudOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var root = options.RepoRoot ?? RepoLocator.FindRepoRoot();
        var topology = options.Topology ?? TopologyReader.LoadFromRepo(root);
        var state = options.StateDirectory ?? Path.Combine(Path.GetTempPath(), "pipeline-cloud-" + Guid.NewGuid().ToString("N")[..10]);
        var host = new LocalCloudHost(options, topology, root, Path.GetFullPath(state)) { _ownsState = options.StateDirectory is null };
        try
        {
            await host.StartCoreAsync(cancellationToken);
            return host;
        }
        catch
        {
            await host.DisposeAsync();
            throw;
        }
    }

    private void Log(string line) => _options.Log?.Invoke(line);

    private async Task StartCoreAsync(CancellationToken ct)
    {
        if (!_options.KeepState && Directory.Exists(StateDirectory)) Directory.Delete(StateDirectory, recursive: true);
        Directory.CreateDirectory(LogDirectory);
        Checkpoints = new CheckpointStore(Path.Combine(StateDirectory, "checkpoints.json"));

        Emulators = await LocalEmulators.StartAsync(new EmulatorOptions
        {
            RepoRoot = RepoRoot,
            StateDirectory = Path.Combine(StateDirectory, "emulators"),
        }, ct);
        _owned.Add(Emulators);
        DynamoDb = await DynamoDbChangeCaptureProxy.StartAsync(() => Emulators.DynamoDb, 0, ct);
        _owned.Add(DynamoDb);
        Clients = new LocalClients(ClientEnvironment());

        SeedTunables();
        Provisioned = await new Provisioner(Clients, Log) { VisibilityTimeoutOverride = _options.QueueVisibilityTimeoutSeconds }
            .ProvisionAsync(Topology, ct);
        EnableStreamsOfKeptTables();
        if (_options.AfterProvisioning is { } seed) await seed(this, ct);

        Notifications = new S3NotificationRouter(Clients.Sqs, Log);
        _owned.Add(Notifications);
        Emulators.OnS3Event(Notifications.Publish);
        foreach (var pipeline in Topology.Pipelines)
        {
            var i = 0;
            foreach (var n in pipeline.Notifications)
            {
                var bucket = pipeline.Buckets[n.Bucket].Name;
                await Notifications.AddRuleAsync(
                    new S3NotificationRule($"{pipeline.Name}-{n.Queue}-{i++}", bucket, pipeline.Queues[n.Queue].Name, n.Events, n.FilterPrefix, n.FilterSuffix),
                    sendTestEvent: Provisioned.NewBuckets.Contains(bucket), ct);
            }
        }

        Invoker = _options.Invoker ?? (_processes = new FunctionProcessInvoker(FunctionEnvironmentFor, new FunctionProcessOptions
        {
            RepoRoot = RepoRoot,
            Preference = _options.Launch,
            OnOutput = OnFunctionOutput,
            InheritEnvironment = true,
        }));
        await StartEventSourcesAsync(ct);
        _ttlSweeper = Task.Run(() => SweepTtlAsync(_stopSweeping.Token), CancellationToken.None);
    }

    private readonly CancellationTokenSource _stopSweeping = new();
    private Task? _ttlSweeper;

    /// <summary>
    /// DynamoDB's TTL for the tables that declare a ttl_attribute (dynalite has none). AWS deletes expired items within
    /// days; locally a sweep runs every <see cref="LocalCloudOptions.TtlSweepInterval"/>.
    /// </summary>
    private async Task SweepTtlAsync(CancellationToken ct)
    {
        var tables = Topology.Pipelines.SelectMany(p => p.Tables.Values).Where(t => t.TtlAttribute is not null).ToList();
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.TtlSweepInterval, ct);
                foreach (var t in tables)
                {
                    var keys = t.RangeKey is null ? new[] { t.HashKey } : [t.HashKey, t.RangeKey];
                    var deleted = await DynamoDb.SweepExpiredAsync(t.Name, t.TtlAttribute!, keys, ct);
                    if (deleted > 0) Log($"ttl: deleted {deleted} expired items from {t.Name}");
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException e)
            {
                Log($"ttl sweep failed: {e.Message} (next sweep retries)");
            }
        }
    }

    /// <summary>
    /// What an SDK client (or a user's shell) needs to reach this cloud: the emulators' endpoints, with DynamoDB (and
    /// DynamoDB Streams) through the change-capture proxy, plus the local credentials and region.
    /// </summary>
    public IReadOnlyDictionary<string, string> ClientEnvironment()
    {
        var env = new Dictionary<string, string>(Emulators.EnvironmentVariables(), StringComparer.Ordinal);
        var proxy = DynamoDb.Endpoint.GetLeftPart(UriPartial.Authority);
        env["AWS_ENDPOINT_URL_DYNAMODB"] = proxy;
        env["AWS_ENDPOINT_URL_DYNAMODB_STREAMS"] = proxy;
        return env;
    }

    /// <summary>The environment a function process gets: Terraform's variables from the topology plus the local endpoints.</summary>
    public IReadOnlyDictionary<string, string> FunctionEnvironmentFor(string functionName)
    {
        var spec = Topology.Function(functionName);
        var env = new Dictionary<string, string>(ClientEnvironment(), StringComparer.Ordinal);
        foreach (var (k, v) in FunctionEnvironment.Resolve(Topology, spec)) env[k] = v;
        // Lambda gives each execution environment its own /tmp.
        var tmp = Path.Combine(StateDirectory, "tmp", functionName);
        Directory.CreateDirectory(tmp);
        env["TMPDIR"] = tmp;
        return env;
    }

    private void SeedTunables()
    {
        foreach (var fn in Topology.Functions)
        {
            var prefix = FunctionEnvironment.SsmPrefix(Topology, fn.Name);
            foreach (var (key, value) in fn.Tunables) Emulators.Parameters!.Put(prefix + key, value);
        }
    }

    private void EnableStreamsOfKeptTables()
    {
        foreach (var table in Topology.Pipelines.SelectMany(p => p.Tables.Values).Where(t => t.StreamViewType is not null))
        {
            var keys = table.RangeKey is null ? new[] { table.HashKey } : [table.HashKey, table.RangeKey];
            DynamoDb.EnableStream(table.Name, table.StreamViewType!, keys);
        }
    }

    private bool Runs(string functionName) => _options.Functions is null || _options.Functions.Contains(functionName);

    private async Task StartEventSourcesAsync(CancellationToken ct)
    {
        foreach (var pipeline in Topology.Pipelines)
        {
            foreach (var fn in pipeline.Functions.Where(f => Runs(f.Name)))
            {
                var source = fn.Source;
                switch (source.Type)
                {
                    case "kinesis":
                    {
                        var stream = pipeline.Streams[source.Stream!].Name;
                        var settings = StreamSettings(fn);
                        var mapping = new StreamEventSourceMapping(settings, new KinesisShardSource(Clients.Kinesis, stream, fn.Name),
                            Invoker, await OnFailureAsync(source, ct), Log, Checkpoints);
                        await mapping.StartAsync(ct);
                        _streamMappings.Add(mapping);
                        _owned.Add(mapping);
                        break;
                    }
                    case "dynamodb":
                    {
                        var table = pipeline.Tables[source.Table!].Name;
                        var log = DynamoDb.Stream(table) ?? throw new InvalidDataException($"{fn.Name}: table {table} has no stream_view_type in the topology");
                        var mapping = new StreamEventSourceMapping(StreamSettings(fn), new DynamoDbStreamShardSource(log),
                            Invoker, await OnFailureAsync(source, ct), Log, Checkpoints);
                        await mapping.StartAsync(ct);
                        _streamMappings.Add(mapping);
                        _owned.Add(mapping);
                        break;
                    }
                    case "sqs":
                    {
                        var settings = SqsMappingSettings.FromTopology(Topology, fn, _options.MaxBatchingWindow, _options.MaxSqsConcurrency);
                        var mapping = new SqsEventSourceMapping(settings, Clients.Sqs, Invoker, Log);
                        await mapping.StartAsync(ct);
                        _sqsMappings.Add(mapping);
                        _owned.Add(mapping);
                        break;
                    }
                    case "firehose":
                    {
                        var spec = pipeline.Firehoses[source.Firehose!];
                        var settings = FirehoseSettings.FromTopology(Topology, pipeline.Name, spec, _options.MaxFirehoseBufferInterval);
                        var delivery = new FirehoseDelivery(settings, new KinesisShardSource(Clients.Kinesis, settings.SourceStream, fn.Name),
                            Invoker, new S3DeliveryWriter(Clients.S3), Log, Checkpoints);
                        await delivery.StartAsync(ct);
                        _firehoses.Add(delivery);
                        _owned.Add(delivery);
                        break;
                    }
                    default:
                        throw new InvalidDataException($"{fn.Name}: unknown source type '{source.Type}'");
                }
            }
        }
    }

    private StreamMappingSettings StreamSettings(FunctionSpec fn)
    {
        var settings = StreamMappingSettings.FromTopology(fn, _options.MaxBatchingWindow);
        return _options.StreamRetryDelay is { } delay ? settings with { RetryDelay = delay } : settings;
    }

    private async Task<IOnFailureDestination?> OnFailureAsync(SourceSpec source, CancellationToken ct) =>
        source.OnFailureQueue is { } name ? new SqsOnFailureDestination(Clients.Sqs, await Clients.Sqs.GetQueueUrlAsync(name, ct)) : null;

    private void OnFunctionOutput(FunctionOutputLine line)
    {
        Metrics.Observe(line.FunctionName, line.Text);
        var writer = _logs.GetOrAdd(line.FunctionName, name =>
            new StreamWriter(new FileStream(Path.Combine(LogDirectory, name + ".log"), FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true });
        lock (writer) writer.WriteLine(line.IsStandardError ? "[stderr] " + line.Text : line.Text);
    }

    /// <summary>Every component's counters, for status output and the drain check.</summary>
    public IReadOnlyList<MappingStats> AllStats() =>
        [.. _streamMappings.Select(m => m.Stats), .. _sqsMappings.Select(m => m.Stats), .. _firehoses.Select(f => f.Stats), Notifications.Stats];

    /// <summary>
    /// Starts every function's process and waits until each has finished init and polls the Runtime API, so cold
    /// starts and init failures show up before any traffic. In-process invokers need no warm-up.
    /// </summary>
    public async Task<IReadOnlyList<(string Function, bool Ready, TimeSpan Took, string? Problem)>> WarmUpAsync(TimeSpan timeout, CancellationToken ct)
    {
        if (_processes is null) return [];
        var names = Topology.Functions.Select(f => f.Name).Where(Runs).ToList();
        var results = await Task.WhenAll(names.Select(async name =>
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            try
            {
                var process = await _processes.GetAsync(name, ct);
                var ready = await process.WaitUntilReadyAsync(timeout, ct);
                return (name, ready, started.Elapsed, ready ? null : $"not ready after {timeout.TotalSeconds:0}s (exit code {process.LastExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}); see {Path.Combine(LogDirectory, name + ".log")}");
            }
            catch (Exception e) when (e is InvalidOperationException or IOException or KeyNotFoundException)
            {
                return (name, false, started.Elapsed, (string?)e.Message);
            }
        }));
        return results;
    }

    /// <summary>The counters of one pipeline's event sources (and of S3 notifications for a pipeline that has them).</summary>
    public IReadOnlyList<MappingStats> PipelineStats(string pipeline)
    {
        var functions = Topology.Pipeline(pipeline).Functions.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var stats = new List<MappingStats>();
        stats.AddRange(_streamMappings.Where(m => functions.Contains(m.FunctionName)).Select(m => m.Stats));
        stats.AddRange(_sqsMappings.Where(m => functions.Contains(m.FunctionName)).Select(m => m.Stats));
        stats.AddRange(_firehoses.Where(f => functions.Contains(f.FunctionName)).Select(f => f.Stats));
        if (Topology.Pipeline(pipeline).Notifications.Count > 0) stats.Add(Notifications.Stats);
        return stats;
    }

    /// <summary>Messages in a queue, visible and in flight.</summary>
    public async Task<(int Visible, int InFlight)> QueueDepthAsync(string queueName, CancellationToken ct)
    {
        var url = await Clients.Sqs.GetQueueUrlAsync(queueName, ct);
        var a = await Clients.Sqs.GetQueueAttributesAsync(url, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"], ct);
        return (int.Parse(a.GetValueOrDefault("ApproximateNumberOfMessages", "0"), System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(a.GetValueOrDefault("ApproximateNumberOfMessagesNotVisible", "0"), System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// Waits until nothing is moving: no buffered or in-flight batch anywhere, no pending notification, the mapped queues
    /// empty, and no counter changed for <paramref name="quiet"/>. Returns false on timeout.
    /// </summary>
    public async Task<bool> WaitForDrainAsync(TimeSpan quiet, TimeSpan timeout, IProgress<string>? progress, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        long last = -1;
        var stableSince = DateTime.UtcNow;
        while (DateTime.UtcNow < deadline)
        {
            var stats = AllStats();
            var progressNow = stats.Sum(s => s.Progress);
            var busy = stats.Where(s => s.IsBusy).Select(s => s.Name).ToList();
            if (Notifications.Pending > 0) busy.Add("s3 notifications");
            busy.AddRange(_firehoses.Where(f => !f.IsIdle).Select(f => f.Stats.Name));
            foreach (var m in _sqsMappings)
            {
                var (visible, inFlight) = await QueueDepthAsync(m.QueueName, ct);
                if (visible + inFlight > 0) busy.Add($"{m.Stats.Name} ({visible} waiting, {inFlight} in flight)");
            }
            if (progressNow != last || busy.Count > 0)
            {
                last = progressNow;
                stableSince = DateTime.UtcNow;
                progress?.Report(busy.Count > 0 ? "busy: " + string.Join("; ", busy.Distinct()) : "records moving");
            }
            else if (DateTime.UtcNow - stableSince >= quiet)
            {
                return true;
            }
            await Task.Delay(200, ct);
        }
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        // Stop feeding first, then the functions, then the emulators.
        await _stopSweeping.CancelAsync();
        if (_ttlSweeper is not null) await _ttlSweeper;
        _stopSweeping.Dispose();
        for (var i = _owned.Count - 1; i >= 0; i--)
        {
            if (_owned[i] is LocalEmulators or DynamoDbChangeCaptureProxy) continue;
            await _owned[i].DisposeAsync();
        }
        if (_processes is not null) await _processes.DisposeAsync();
        if (Checkpoints is not null) await Checkpoints.DisposeAsync();
        if (DynamoDb is not null) await DynamoDb.DisposeAsync();
        if (Emulators is not null) await Emulators.DisposeAsync();
        Clients?.Dispose();
        foreach (var w in _logs.Values) await w.DisposeAsync();
        if (_ownsState)
        {
            try { Directory.Delete(StateDirectory, recursive: true); }
            catch (IOException) { /* a temp folder left behind is harmless */ }
        }
    }
}

/// <summary>Sends on-failure records to an SQS queue (the topology's on_failure_queue).</summary>
public sealed class SqsOnFailureDestination(Pipelines.Shared.Aws.SqsClient sqs, string queueUrl) : IOnFailureDestination
{
    public async Task SendAsync(JsonObject record, CancellationToken cancellationToken) =>
        await sqs.SendMessageAsync(queueUrl, record.ToJsonString(), cancellationToken: cancellationToken);
}

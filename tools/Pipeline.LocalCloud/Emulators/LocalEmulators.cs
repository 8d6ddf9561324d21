using System.Globalization;
using Pipelines.LocalCloud.Http;
using Pipelines.LocalCloud.Ssm;

namespace Pipelines.LocalCloud.Emulators;

/// <summary>
/// The pinned npm emulators (kinesalite, dynalite, s3rver, local-aws-sqs) as node child processes on free 127.0.0.1
/// ports, plus an in-process SSM parameter endpoint. Dispose stops them (and deletes a temp state folder).
/// <code>
/// await using var cloud = await LocalEmulators.StartAsync(new EmulatorOptions(), ct);
/// foreach (var (k, v) in cloud.EnvironmentVariables()) psi.Environment[k] = v;
/// </code>
/// </summary>
public sealed class LocalEmulators : IAsyncDisposable
{
    private readonly Dictionary<EmulatorService, EmulatorProcess> _processes = [];
    private readonly EmulatorOptions _options;
    private readonly string _node;
    private readonly string _package;
    private readonly bool _ownsStateDirectory;
    private readonly List<Action<S3ObjectEvent>> _s3Listeners = [];
    private readonly Lock _listenersGate = new();
    private LoopbackHttpServer? _ssmServer;

    /// <summary>Folder holding each service's state.</summary>
    public string StateDirectory { get; }

    /// <summary>The in-process SSM parameter store (null when SSM was not requested).</summary>
    public ParameterStore? Parameters { get; private set; }

    private LocalEmulators(EmulatorOptions options, string node, string package, string stateDirectory, bool ownsState)
    {
        _options = options;
        _node = node;
        _package = package;
        StateDirectory = stateDirectory;
        _ownsStateDirectory = ownsState;
    }

    public static async Task<LocalEmulators> StartAsync(EmulatorOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var package = RepoLocator.FindLocalCloudPackage(options.RepoRoot ?? RepoLocator.FindRepoRoot());
        var node = options.NodeExecutable ?? Environment.GetEnvironmentVariable("PIPELINE_NODE") ?? "node";
        var ownsState = options.StateDirectory is null;
        var state = options.StateDirectory ?? Path.Combine(Path.GetTempPath(), "pipeline-local-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(state);

        var emulators = new LocalEmulators(options, node, package, state, ownsState);
        try
        {
            // Started together: each takes ~0.3 s, mostly node start-up.
            var starts = EmulatorServiceNames.NodeServices
                .Where(s => options.Services.HasFlag(s))
                .Select(s => emulators.StartOneAsync(s, options.Ports.GetValueOrDefault(s), cancellationToken))
                .ToList();
            await Task.WhenAll(starts);
            if (options.Services.HasFlag(EmulatorService.Ssm))
            {
                emulators.Parameters = new ParameterStore();
                var endpoint = new SsmEndpoint(emulators.Parameters);
                emulators._ssmServer = await LoopbackHttpServer.StartAsync(
                    endpoint.HandleAsync, options.Ports.GetValueOrDefault(EmulatorService.Ssm), cancellationToken);
            }
            return emulators;
        }
        catch
        {
            await emulators.DisposeAsync();
            throw;
        }
    }

    private async Task StartOneAsync(EmulatorService service, int port, CancellationToken ct)
    {
        var dir = Path.Combine(StateDirectory, EmulatorServiceNames.LauncherName(service));
        var process = await EmulatorProcess.StartAsync(
            service, _node, _package, dir, port, _options.StartTimeout,
            service == EmulatorService.S3 ? RaiseS3Event : null, ct);
        lock (_processes) _processes[service] = process;
    }

    /// <summary>The endpoint of a started service (e.g. <c>http://127.0.0.1:41265/</c>).</summary>
    public Uri Endpoint(EmulatorService service)
    {
        if (service == EmulatorService.Ssm && _ssmServer is not null) return _ssmServer.Endpoint;
        lock (_processes)
        {
            return _processes.TryGetValue(service, out var p) && p.Endpoint is not null
                ? p.Endpoint
                : throw new InvalidOperationException($"{service} was not started");
        }
    }

    public bool IsStarted(EmulatorService service)
    {
        if (service == EmulatorService.Ssm) return _ssmServer is not null;
        lock (_processes) return _processes.ContainsKey(service);
    }

    public Uri Kinesis => Endpoint(EmulatorService.Kinesis);
    public Uri DynamoDb => Endpoint(EmulatorService.DynamoDb);
    public Uri S3 => Endpoint(EmulatorService.S3);
    public Uri Sqs => Endpoint(EmulatorService.Sqs);
    public Uri Ssm => Endpoint(EmulatorService.Ssm);

    /// <summary>
    /// AWS_ENDPOINT_URL_&lt;SERVICE&gt; for every started service, the local credentials and region: what an SDK client or
    /// a function process needs to talk to this local cloud.
    /// </summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["AWS_ACCESS_KEY_ID"] = LocalCredentials.AccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = LocalCredentials.SecretAccessKey,
            ["AWS_REGION"] = LocalCredentials.Region,
            ["AWS_DEFAULT_REGION"] = LocalCredentials.Region,
        };
        foreach (var service in EmulatorServiceNames.NodeServices.Append(EmulatorService.Ssm))
        {
            if (IsStarted(service))
                env[EmulatorServiceNames.EndpointVariable(service)] = Endpoint(service).GetLeftPart(UriPartial.Authority);
        }
        return env;
    }

    /// <summary>Sets <see cref="EnvironmentVariables"/> on this process (for code that reads them, e.g. AwsClientOptions.FromEnvironment).</summary>
    public void ApplyToCurrentProcess()
    {
        foreach (var (name, value) in EnvironmentVariables()) Environment.SetEnvironmentVariable(name, value);
    }

    /// <summary>Called for each object event s3rver reports (raw keys); the host turns them into SQS notifications.</summary>
    public void OnS3Event(Action<S3ObjectEvent> listener)
    {
        lock (_listenersGate) _s3Listeners.Add(listener);
    }

    private void RaiseS3Event(S3ObjectEvent e)
    {
        Action<S3ObjectEvent>[] listeners;
        lock (_listenersGate) listeners = [.. _s3Listeners];
        foreach (var l in listeners) l(e);
    }

    /// <summary>Kills one emulator abruptly (no clean close), as a crash would (fault tests).</summary>
    public async Task StopAsync(EmulatorService service)
    {
        EmulatorProcess? p;
        lock (_processes) _processes.Remove(service, out p);
        if (p is null) throw new InvalidOperationException($"{service} is not running");
        LastPorts[service] = p.Endpoint!.Port;
        await p.KillAsync();
        await p.DisposeAsync();
    }

    /// <summary>Starts a stopped emulator again on the same port with the same state folder.</summary>
    public Task RestartAsync(EmulatorService service, CancellationToken cancellationToken) =>
        StartOneAsync(service, LastPorts.TryGetValue(service, out var port) ? port : 0, cancellationToken);

    private Dictionary<EmulatorService, int> LastPorts { get; } = [];

    public async ValueTask DisposeAsync()
    {
        List<EmulatorProcess> all;
        lock (_processes)
        {
            all = [.. _processes.Values];
            _processes.Clear();
        }
        await Task.WhenAll(all.Select(p => p.DisposeAsync().AsTask()));
        if (_ssmServer is not null) await _ssmServer.DisposeAsync();
        if (_ownsStateDirectory)
        {
            try { Directory.Delete(StateDirectory, recursive: true); }
            catch (IOException) { /* a temp folder left behind is harmless */ }
        }
    }

    public override string ToString() =>
        string.Join(", ", EnvironmentVariables().Where(kv => kv.Key.StartsWith("AWS_ENDPOINT_URL_", StringComparison.Ordinal))
            .Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}={kv.Value}")));
}

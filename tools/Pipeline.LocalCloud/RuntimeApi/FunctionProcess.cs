using System.Diagnostics;
using System.Globalization;
using Pipelines.LocalCloud.Emulators;
using Pipelines.LocalCloud.Topology;

namespace Pipelines.LocalCloud.RuntimeApi;

/// <summary>
/// One Lambda execution environment on this machine: the function runs as a child process against its own loopback
/// Runtime API, exactly as the deployed bootstrap runs in Lambda.
/// <code>
/// await using var fn = await FunctionProcess.StartAsync("orders-firehose-transform", env);
/// var result = await fn.InvokeAsync(payload, TimeSpan.FromSeconds(60), ct); // result.Status: Ok | FunctionError | Timeout
/// </code>
/// One invocation at a time (calls queue). A process that exits is restarted by the next invocation (the invocation
/// in flight fails with Runtime.ExitError, or with the init error it reported); one that times out is killed.
/// </summary>
public sealed class FunctionProcess : IAsyncDisposable
{
    private readonly LocalRuntimeApi _api;
    private readonly FunctionProcessOptions _options;
    private readonly Dictionary<string, string> _environment;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private readonly Lock _gate = new();
    private readonly Queue<string> _stderrTail = new();
    private Process? _process;
    private bool _disposed;

    public string FunctionName { get; }
    public FunctionLaunch Launch { get; }
    public int MemoryMb { get; }
    public TimeSpan DefaultTimeout { get; }

    /// <summary>How many processes were started (1 + restarts).</summary>
    public int StartCount { get; private set; }

    /// <summary><see cref="Stopwatch"/> timestamp taken just before the current process was started.</summary>
    public long ProcessStartTimestamp { get; private set; }

    /// <summary>The Runtime API address the function talks to (AWS_LAMBDA_RUNTIME_API).</summary>
    public string RuntimeApiAddress => _api.Address;

    public bool IsRunning
    {
        get { lock (_gate) return _process is { HasExited: false }; }
    }

    /// <summary>CPU time (user + system) the current process has used so far; null when it is not running.</summary>
    public TimeSpan? ProcessorTime
    {
        get
        {
            lock (_gate)
            {
                try { return _process is { HasExited: false } p ? p.TotalProcessorTime : null; }
                catch (InvalidOperationException) { return null; }
            }
        }
    }

    /// <summary>Exit code of the last process that ended (null while none has).</summary>
    public int? LastExitCode { get; private set; }

    private FunctionProcess(string name, FunctionLaunch launch, LocalRuntimeApi api, Dictionary<string, string> environment,
        int memoryMb, TimeSpan timeout, FunctionProcessOptions options)
    {
        FunctionName = name;
        Launch = launch;
        _api = api;
        _environment = environment;
        MemoryMb = memoryMb;
        DefaultTimeout = timeout;
        _options = options;
    }

    /// <summary>
    /// Resolves the function's build (see <see cref="FunctionLocator"/>), starts its Runtime API and its process.
    /// <paramref name="environment"/> is what Terraform would set (see <see cref="FunctionEnvironment"/>); Lambda's
    /// own variables (AWS_LAMBDA_*) are added here. Memory and timeout come from the topology unless overridden.
    /// </summary>
    public static async Task<FunctionProcess> StartAsync(string functionName, IReadOnlyDictionary<string, string>? environment = null,
        FunctionProcessOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(functionName);
        options ??= new FunctionProcessOptions();
        var memory = options.MemoryMb ?? 128;
        var timeout = options.Timeout ?? TimeSpan.FromSeconds(60);
        FunctionLaunch launch;
        if (options.Launch is { } explicitLaunch)
        {
            launch = explicitLaunch;
        }
        else
        {
            var root = options.RepoRoot ?? RepoLocator.FindRepoRoot();
            var spec = TopologyReader.LoadFromRepo(root).Function(functionName);
            memory = options.MemoryMb ?? spec.MemoryMb;
            timeout = options.Timeout ?? TimeSpan.FromSeconds(spec.TimeoutS);
            launch = await Task.Run(() => FunctionLocator.Resolve(functionName, options.Preference, root,
                line => options.OnOutput?.Invoke(new FunctionOutputLine(functionName, true, line))), cancellationToken).ConfigureAwait(false);
        }

        var api = await LocalRuntimeApi.StartAsync(functionName, cancellationToken).ConfigureAwait(false);
        var fn = new FunctionProcess(functionName, launch, api, new Dictionary<string, string>(environment ?? new Dictionary<string, string>(), StringComparer.Ordinal),
            memory, timeout, options);
        try
        {
            fn.StartProcess();
        }
        catch
        {
            await fn.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return fn;
    }

    /// <summary>Invokes with the topology's timeout.</summary>
    public Task<InvokeResult> InvokeAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default) =>
        InvokeAsync(payload, DefaultTimeout, cancellationToken);

    public async Task<InvokeResult> InvokeAsync(ReadOnlyMemory<byte> payload, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!IsRunning) StartProcess();
            Process current;
            lock (_gate) current = _process!;
            var invoke = _api.InvokeAsync(payload, timeout, cancellationToken);
            // A process that dies before or while handling this invocation fails it now, not at the timeout.
            var exited = current.WaitForExitAsync(CancellationToken.None);
            if (await Task.WhenAny(invoke, exited).ConfigureAwait(false) == exited) OnExited(current);
            var result = await invoke.ConfigureAwait(false);
            if (result.Status == InvokeStatus.Timeout)
            {
                // Lambda discards a sandbox whose invocation timed out; the next invocation starts a fresh one.
                await StopProcessAsync().ConfigureAwait(false);
            }
            return result;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>Waits until the function has finished init and is polling for work (or has exited).</summary>
    public async Task<bool> WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            if (_api.IsFunctionWaiting) return true;
            if (!IsRunning) return false;
            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
        return _api.IsFunctionWaiting;
    }

    private void StartProcess()
    {
        lock (_gate)
        {
            if (_process is { HasExited: false }) return;
            _process?.Dispose();
            _api.ClearInitError();
            lock (_stderrTail) _stderrTail.Clear();

            var psi = new ProcessStartInfo(Launch.FileName)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = false,
                WorkingDirectory = Directory.Exists(Launch.TaskRoot) ? Launch.TaskRoot : Environment.CurrentDirectory,
            };
            foreach (var a in Launch.Arguments) psi.ArgumentList.Add(a);
            if (!_options.InheritEnvironment) psi.Environment.Clear();
            foreach (var (k, v) in LambdaVariables()) psi.Environment[k] = v;
            foreach (var (k, v) in _environment) psi.Environment[k] = v;

            var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
            process.OutputDataReceived += (_, e) => OnLine(e.Data, isError: false);
            process.ErrorDataReceived += (_, e) => OnLine(e.Data, isError: true);
            process.Exited += (_, _) => OnExited(process);
            ProcessStartTimestamp = Stopwatch.GetTimestamp();
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            _process = process;
            StartCount++;
        }
    }

    private Dictionary<string, string> LambdaVariables() => new(StringComparer.Ordinal)
    {
        ["AWS_LAMBDA_RUNTIME_API"] = _api.Address,
        ["AWS_LAMBDA_FUNCTION_NAME"] = FunctionName,
        ["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST",
        ["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = MemoryMb.ToString(CultureInfo.InvariantCulture),
        ["AWS_LAMBDA_LOG_GROUP_NAME"] = $"/aws/lambda/{FunctionName}",
        ["AWS_LAMBDA_LOG_STREAM_NAME"] = $"{DateTime.UtcNow:yyyy/MM/dd}/[$LATEST]{Guid.NewGuid():N}",
        ["AWS_LAMBDA_INITIALIZATION_TYPE"] = "on-demand",
        ["LAMBDA_TASK_ROOT"] = Launch.TaskRoot,
        ["AWS_EXECUTION_ENV"] = "AWS_Lambda_provided.al2023",
        ["AWS_REGION"] = Environment.GetEnvironmentVariable("AWS_REGION") ?? LocalCredentials.Region,
    };

    private void OnLine(string? line, bool isError)
    {
        if (line is null) return;
        if (isError)
        {
            lock (_stderrTail)
            {
                _stderrTail.Enqueue(line);
                while (_stderrTail.Count > _options.CrashTailLines) _stderrTail.Dequeue();
            }
        }
        _options.OnOutput?.Invoke(new FunctionOutputLine(FunctionName, isError, line));
    }

    private void OnExited(Process process)
    {
        int code;
        try { code = process.ExitCode; }
        catch (InvalidOperationException) { return; }
        LastExitCode = code;
        string tail;
        lock (_stderrTail) tail = _stderrTail.Count == 0 ? "" : " | stderr: " + string.Join(" | ", _stderrTail);
        _api.FailOutstanding("Runtime.ExitError", $"Runtime exited with error: exit status {code}{tail}");
    }

    private async Task StopProcessAsync()
    {
        Process? p;
        lock (_gate) p = _process;
        if (p is null) return;
        try
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // never started or already reaped
        }
        catch (TimeoutException)
        {
            // the kernel will reap it; the next invocation starts a new process regardless
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        _disposed = true;
        await StopProcessAsync().ConfigureAwait(false);
        await _api.DisposeAsync().ConfigureAwait(false);
        lock (_gate) _process?.Dispose();
        _oneAtATime.Dispose();
    }
}

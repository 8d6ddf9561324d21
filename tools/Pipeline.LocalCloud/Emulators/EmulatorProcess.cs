using System.Diagnostics;
using System.Text.Json;

namespace Pipelines.LocalCloud.Emulators;

/// <summary>
/// One emulator as a node child process running tools/local-cloud/launch.js. Its stdin stays open for the
/// child's lifetime: when this process dies the pipe closes and the emulator exits too.
/// </summary>
internal sealed class EmulatorProcess : IAsyncDisposable
{
    private const string ReadyPrefix = "READY ";
    private const string S3EventPrefix = "S3EVENT ";
    private const int StderrLinesKept = 40;

    private readonly Process _process;
    private readonly TaskCompletionSource<Uri> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Queue<string> _stderr = new();
    private readonly Action<S3ObjectEvent>? _onS3Event;

    public EmulatorService Service { get; }

    public Uri? Endpoint { get; private set; }

    private EmulatorProcess(EmulatorService service, Process process, Action<S3ObjectEvent>? onS3Event)
    {
        Service = service;
        _process = process;
        _onS3Event = onS3Event;
    }

    public static async Task<EmulatorProcess> StartAsync(
        EmulatorService service, string node, string packageDir, string stateDir, int port, TimeSpan timeout,
        Action<S3ObjectEvent>? onS3Event, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(node)
        {
            WorkingDirectory = packageDir,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(packageDir, "launch.js"));
        psi.ArgumentList.Add(EmulatorServiceNames.LauncherName(service));
        psi.ArgumentList.Add("--port");
        psi.ArgumentList.Add(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        psi.ArgumentList.Add("--dir");
        psi.ArgumentList.Add(stateDir);

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var emulator = new EmulatorProcess(service, process, onS3Event);
        process.OutputDataReceived += (_, e) => emulator.OnStdout(e.Data);
        process.ErrorDataReceived += (_, e) => emulator.OnStderr(e.Data);
        process.Exited += (_, _) => emulator._ready.TrySetException(new InvalidOperationException(
            $"{EmulatorServiceNames.LauncherName(service)} emulator exited before it was ready:{Environment.NewLine}{emulator.RecentStderr()}"));
        try
        {
            if (!process.Start()) throw new InvalidOperationException($"could not start {node}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"cannot run '{node}' (Node.js 20+ is needed for the local emulators): {e.Message}", e);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            emulator.Endpoint = await emulator._ready.Task.WaitAsync(timeout, ct);
            await WaitUntilAnsweringAsync(emulator.Endpoint, timeout, ct);
            return emulator;
        }
        catch (TimeoutException)
        {
            await emulator.DisposeAsync();
            throw new InvalidOperationException(
                $"{EmulatorServiceNames.LauncherName(service)} emulator did not become ready within {timeout.TotalSeconds:0}s:{Environment.NewLine}{emulator.RecentStderr()}");
        }
        catch
        {
            await emulator.DisposeAsync();
            throw;
        }
    }

    /// <summary>The ready line is printed after listen(); one HTTP round trip proves the server answers.</summary>
    private static async Task WaitUntilAnsweringAsync(Uri endpoint, TimeSpan timeout, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(endpoint, ct);
                return; // any HTTP status means the server is up
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, ct);
            }
        }
    }

    private void OnStdout(string? line)
    {
        if (line is null) return;
        if (line.StartsWith(ReadyPrefix, StringComparison.Ordinal))
        {
            var parts = line.Split(' ', 3);
            if (parts.Length == 3 && Uri.TryCreate(parts[2], UriKind.Absolute, out var uri)) _ready.TrySetResult(uri);
            else _ready.TrySetException(new InvalidOperationException($"unexpected ready line: {line}"));
        }
        else if (line.StartsWith(S3EventPrefix, StringComparison.Ordinal) && _onS3Event is not null)
        {
            _onS3Event(ParseS3Event(line[S3EventPrefix.Length..]));
        }
    }

    private void OnStderr(string? line)
    {
        if (line is null) return;
        lock (_stderr)
        {
            _stderr.Enqueue(line);
            while (_stderr.Count > StderrLinesKept) _stderr.Dequeue();
        }
    }

    public string RecentStderr()
    {
        lock (_stderr) return string.Join(Environment.NewLine, _stderr);
    }

    internal static S3ObjectEvent ParseS3Event(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement;
        static string? Str(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return new S3ObjectEvent(
            Str(r, "eventName") ?? "ObjectCreated:Put",
            DateTimeOffset.Parse(Str(r, "eventTime") ?? DateTimeOffset.UtcNow.ToString("O"), System.Globalization.CultureInfo.InvariantCulture),
            Str(r, "bucket") ?? "",
            Str(r, "key") ?? "",
            r.TryGetProperty("size", out var size) && size.ValueKind == JsonValueKind.Number ? size.GetInt64() : null,
            Str(r, "eTag"),
            Str(r, "sourceIPAddress"));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                // Closing stdin asks the launcher to close its server cleanly; kill if it does not within 3 s.
                _process.StandardInput.Close();
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                try { await _process.WaitForExitAsync(cts.Token); }
                catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); await _process.WaitForExitAsync(); }
            }
        }
        catch (InvalidOperationException)
        {
            // never started
        }
        _process.Dispose();
    }

    /// <summary>Kills the emulator without letting it close cleanly (fault tests).</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }
}

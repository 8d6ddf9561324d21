namespace Pipelines.Shared.Observability;

/// <summary>Where log lines and EMF documents go: one complete UTF-8 JSON object per call, newline added by the output.</summary>
public interface ITelemetryOutput
{
    void WriteLine(ReadOnlySpan<byte> utf8Json);
}

/// <summary>The process-wide output used by <see cref="Log"/> and <see cref="Metrics"/>; stdout unless swapped (tests).</summary>
public static class TelemetryOutput
{
    private static ITelemetryOutput _current = StdoutTelemetryOutput.Instance;

    public static ITelemetryOutput Current
    {
        get => Volatile.Read(ref _current);
        set => Volatile.Write(ref _current, value ?? StdoutTelemetryOutput.Instance);
    }

    /// <summary>Swaps the output until the returned scope is disposed, then restores the previous one.</summary>
    public static IDisposable Use(ITelemetryOutput output)
    {
        var previous = Current;
        Current = output;
        return new Restore(previous);
    }

    private sealed class Restore(ITelemetryOutput previous) : IDisposable
    {
        public void Dispose() => Current = previous;
    }
}

/// <summary>Writes each line to stdout with a single write call, so concurrent lines never interleave.</summary>
public sealed class StdoutTelemetryOutput : ITelemetryOutput
{
    public static readonly StdoutTelemetryOutput Instance = new();

    private readonly Lock _gate = new();
    private readonly Stream _stdout = Console.OpenStandardOutput();
    private byte[] _line = new byte[4096];

    private StdoutTelemetryOutput() { }

    public void WriteLine(ReadOnlySpan<byte> utf8Json)
    {
        lock (_gate)
        {
            if (_line.Length < utf8Json.Length + 1) _line = new byte[Math.Max(utf8Json.Length + 1, _line.Length * 2)];
            utf8Json.CopyTo(_line);
            _line[utf8Json.Length] = (byte)'\n';
            _stdout.Write(_line, 0, utf8Json.Length + 1);
            _stdout.Flush();
        }
    }
}

/// <summary>Keeps every line in memory; for tests that assert on logs and metrics.</summary>
public sealed class CapturedTelemetryOutput : ITelemetryOutput
{
    private readonly Lock _gate = new();
    private readonly List<string> _lines = [];

    public void WriteLine(ReadOnlySpan<byte> utf8Json)
    {
        var line = System.Text.Encoding.UTF8.GetString(utf8Json);
        lock (_gate) _lines.Add(line);
    }

    public IReadOnlyList<string> Lines
    {
        get { lock (_gate) return [.. _lines]; }
    }

    public void Clear()
    {
        lock (_gate) _lines.Clear();
    }
}

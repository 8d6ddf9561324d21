using Pipelines.Shared.Observability;

namespace Pipelines.Cli.Bench.Sinks;

/// <summary>
/// Where log lines and EMF documents go during a benchmark: they are still built (that is the function's work) but
/// only counted, so the console shows the table instead of thousands of log lines.
/// </summary>
internal sealed class DiscardTelemetryOutput : ITelemetryOutput
{
    public long Lines { get; private set; }

    public long Bytes { get; private set; }

    public void WriteLine(ReadOnlySpan<byte> utf8Json)
    {
        Lines++;
        Bytes += utf8Json.Length + 1;
    }
}

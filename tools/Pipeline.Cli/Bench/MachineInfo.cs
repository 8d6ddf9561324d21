using System.Globalization;
using System.Runtime.InteropServices;

namespace Pipelines.Cli.Bench;

/// <summary>What the numbers were measured on: cores, CPU model, .NET, OS, load, date.</summary>
internal sealed record MachineInfo(int Cores, string CpuModel, string DotNet, string Os, string LoadAverage, DateTimeOffset Date, string GcMode)
{
    public static MachineInfo Capture() => new(
        Environment.ProcessorCount,
        ReadCpuModel(),
        RuntimeInformation.FrameworkDescription,
        RuntimeInformation.OSDescription,
        ReadLoadAverage(),
        DateTimeOffset.UtcNow,
        System.Runtime.GCSettings.IsServerGC ? "server" : "workstation");

    /// <summary>The 1, 5 and 15 minute load averages from /proc/loadavg ("unknown" elsewhere).</summary>
    public static string ReadLoadAverage()
    {
        try
        {
            var parts = File.ReadAllText("/proc/loadavg").Split(' ');
            return string.Join(' ', parts.Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>The 1-minute load average as a number (NaN when unknown).</summary>
    public static double OneMinuteLoad() =>
        double.TryParse(ReadLoadAverage().Split(' ')[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var load) ? load : double.NaN;

    private static string ReadCpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }
}

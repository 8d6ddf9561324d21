using System.Globalization;

namespace Pipelines.Cli.Bench;

/// <summary>
/// Peak resident memory (working set) of this process over a stretch of work. On Linux the kernel's high-water mark
/// (VmHWM) is reset by writing 5 to /proc/self/clear_refs, which makes the peak exact; where that is not possible a
/// sampler polls the resident size every few milliseconds instead.
/// </summary>
internal sealed class PeakMemory : IDisposable
{
    private readonly bool _kernelPeak;
    private readonly Timer? _sampler;
    private long _sampledPeak;

    private PeakMemory()
    {
        _kernelPeak = TryResetKernelPeak();
        if (!_kernelPeak)
        {
            _sampledPeak = Environment.WorkingSet;
            _sampler = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(5));
        }
    }

    /// <summary>Resident bytes when the measurement started.</summary>
    public long Baseline { get; } = Environment.WorkingSet;

    public string Method => _kernelPeak ? "VmHWM" : "sampled";

    public static PeakMemory Start() => new();

    /// <summary>The highest resident size since <see cref="Start"/>.</summary>
    public long Peak()
    {
        if (_kernelPeak && ReadStatusKb("VmHWM:") is { } kb) return kb * 1024;
        Sample();
        return Interlocked.Read(ref _sampledPeak);
    }

    public void Dispose() => _sampler?.Dispose();

    private void Sample()
    {
        var now = Environment.WorkingSet;
        long seen;
        while (now > (seen = Interlocked.Read(ref _sampledPeak)) && Interlocked.CompareExchange(ref _sampledPeak, now, seen) != seen)
        {
        }
    }

    private static bool TryResetKernelPeak()
    {
        try
        {
            if (!OperatingSystem.IsLinux()) return false;
            File.WriteAllText("/proc/self/clear_refs", "5");
            return ReadStatusKb("VmHWM:") is not null;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static long? ReadStatusKb(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (!line.StartsWith(field, StringComparison.Ordinal)) continue;
            var digits = line[field.Length..].Trim().Split(' ')[0];
            return long.Parse(digits, CultureInfo.InvariantCulture);
        }
        return null;
    }
}

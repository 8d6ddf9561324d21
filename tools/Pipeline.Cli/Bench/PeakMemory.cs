using System.Globalization;

namespace Pipelines.Cli.Bench;

/// <summary>
/// Peak resident memory (working set) of this process over a stretch of work. On Linux the kernel's high-water mark
/// (VmHWM) is reset by writing 5 to /proc/self/clear_refs, which makes the peak exact; where that is not possible a
/// sampler polls the resident size every few milliseconds instead. The managed heap (live objects plus garbage not yet
/// collected) is sampled alongside, to tell what the objects need from what the GC leaves resident.
/// </summary>
internal sealed class PeakMemory : IDisposable
{
    private readonly bool _kernelPeak;
    private readonly Timer _sampler;
    private long _sampledPeak;
    private long _heapPeak;

    private PeakMemory()
    {
        _kernelPeak = TryResetKernelPeak();
        _sampledPeak = Environment.WorkingSet;
        _sampler = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(10));
    }

    /// <summary>The largest managed heap seen (GC.GetTotalMemory without collecting).</summary>
    public long HeapPeak => Interlocked.Read(ref _heapPeak);

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

    public void Dispose() => _sampler.Dispose();

    private void Sample()
    {
        if (!_kernelPeak) Raise(ref _sampledPeak, Environment.WorkingSet);
        Raise(ref _heapPeak, GC.GetTotalMemory(forceFullCollection: false));
    }

    private static void Raise(ref long peak, long now)
    {
        long seen;
        while (now > (seen = Interlocked.Read(ref peak)) && Interlocked.CompareExchange(ref peak, now, seen) != seen)
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

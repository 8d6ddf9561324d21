using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace Pipelines.Cli.Bench.Profiling;

/// <summary>
/// The runtime's own allocation sampling, read in-process with an <see cref="EventListener"/>: the GC raises
/// GCAllocationTick about every 100 KB allocated, naming the type whose allocation crossed the mark, so summing the
/// ticks per type estimates who allocates what. Enabled only while profiling (it allocates itself).
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly ConcurrentDictionary<string, long> _bytesByType = new(StringComparer.Ordinal);
    private volatile bool _recording;

    public void Start()
    {
        _bytesByType.Clear();
        _recording = true;
    }

    /// <summary>Stops recording and returns the types with the largest share of sampled bytes.</summary>
    public IReadOnlyList<(string Type, double Share)> Stop(int top)
    {
        _recording = false;
        var total = (double)Math.Max(1, _bytesByType.Values.Sum());
        return [.. _bytesByType.OrderByDescending(kv => kv.Value).Take(top).Select(kv => (kv.Key, kv.Value / total))];
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        ArgumentNullException.ThrowIfNull(eventSource);
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime") EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        ArgumentNullException.ThrowIfNull(eventData);
        if (!_recording || eventData.EventName is null || !eventData.EventName.StartsWith("GCAllocationTick", StringComparison.Ordinal)) return;
        var names = eventData.PayloadNames;
        var payload = eventData.Payload;
        if (names is null || payload is null) return;
        string? type = null;
        long amount = 0;
        for (var i = 0; i < names.Count; i++)
        {
            switch (names[i])
            {
                case "TypeName": type = payload[i] as string; break;
                case "AllocationAmount64": amount = Convert.ToInt64(payload[i], System.Globalization.CultureInfo.InvariantCulture); break;
                case "AllocationAmount" when amount == 0: amount = Convert.ToInt64(payload[i], System.Globalization.CultureInfo.InvariantCulture); break;
            }
        }
        if (type is not null) _bytesByType.AddOrUpdate(type, amount, (_, old) => old + amount);
    }
}

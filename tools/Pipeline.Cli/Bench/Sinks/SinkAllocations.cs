using System.Diagnostics;

namespace Pipelines.Cli.Bench.Sinks;

/// <summary>
/// Bytes the in-memory sinks allocate, and time they spend, to model a service (decoding request bodies back into
/// tables, evaluating conditions, stored item copies, response objects), kept apart so the "bytes allocated per record"
/// and records/s figures are the function's own work up to the fully built request. Sinks answer synchronously on the
/// caller's thread, so the per-thread counter brackets exactly the sink's work. Scopes must not nest.
/// </summary>
internal static class SinkAllocations
{
    private static long _bytes;
    private static long _ticks;

    public static long Bytes => Interlocked.Read(ref _bytes);

    /// <summary>Wall time spent inside sink scopes so far.</summary>
    public static TimeSpan Elapsed => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _ticks));

    public static Scope Measure() => new(GC.GetAllocatedBytesForCurrentThread(), Stopwatch.GetTimestamp());

    internal readonly struct Scope(long startBytes, long startTicks) : IDisposable
    {
        public void Dispose()
        {
            Interlocked.Add(ref _ticks, Stopwatch.GetTimestamp() - startTicks);
            Interlocked.Add(ref _bytes, GC.GetAllocatedBytesForCurrentThread() - startBytes);
        }
    }
}

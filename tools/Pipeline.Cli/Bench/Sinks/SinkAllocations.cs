namespace Pipelines.Cli.Bench.Sinks;

/// <summary>
/// Bytes the in-memory sinks allocate to model a service (stored item copies, response objects), kept apart so the
/// "bytes allocated per record" figure is the function's own. Sinks answer synchronously on the caller's thread, so the
/// per-thread counter brackets exactly the sink's work.
/// </summary>
internal static class SinkAllocations
{
    private static long _bytes;

    public static long Bytes => Interlocked.Read(ref _bytes);

    public static Scope Measure() => new(GC.GetAllocatedBytesForCurrentThread());

    internal readonly struct Scope(long start) : IDisposable
    {
        public void Dispose() => Interlocked.Add(ref _bytes, GC.GetAllocatedBytesForCurrentThread() - start);
    }
}

namespace Pipelines.Cli.Bench;

/// <summary>One function's Lambda bill per million records, from its measured single-threaded time per record.</summary>
internal sealed record CostRow(string Function, int BatchSize, double MsPerRecord, double DurationDollars, double RequestDollars, double CpuShareDollars)
{
    public double TotalDollars => DurationDollars + RequestDollars;

    public double CpuShareTotalDollars => CpuShareDollars + RequestDollars;
}

/// <summary>
/// Lambda x86 prices (us-east-1): $0.0000166667 per GB-second of duration, billed per millisecond and rounded up per
/// invocation, plus $0.20 per million requests. One invocation carries the topology's batch size.
/// </summary>
internal static class CostModel
{
    public const int MemoryMb = 512;
    public const double DollarsPerGbSecond = 0.0000166667;
    public const double DollarsPerMillionRequests = 0.20;

    /// <summary>Lambda gives a function one full vCPU at 1,769 MB and a proportional share below that.</summary>
    public const double FullVcpuMemoryMb = 1769;

    public static CostRow For(string function, int batchSize, double msPerRecord)
    {
        var invocations = 1_000_000.0 / batchSize;
        var gb = MemoryMb / 1024.0;
        var billedMs = Math.Ceiling(msPerRecord * batchSize);
        var duration = invocations * billedMs / 1000 * gb * DollarsPerGbSecond;
        // CPU-bound work at 512 MB runs on about 29% of a core, so it takes about 3.5x the single-core time.
        var cpuShareMs = Math.Ceiling(msPerRecord * batchSize * FullVcpuMemoryMb / MemoryMb);
        var cpuShare = invocations * cpuShareMs / 1000 * gb * DollarsPerGbSecond;
        var requests = invocations / 1_000_000 * DollarsPerMillionRequests;
        return new CostRow(function, batchSize, msPerRecord, duration, requests, cpuShare);
    }
}

namespace Pipelines.Cli.Bench;

/// <summary>The target for one function on this machine: a records/s floor and optionally an allocation ceiling.</summary>
internal sealed record ThroughputTarget(double MinRecordsPerSecond, long? MaxBytesPerRecord = null)
{
    public bool IsMet(double recordsPerSecond, double bytesPerRecord) =>
        recordsPerSecond >= MinRecordsPerSecond && (MaxBytesPerRecord is not { } max || bytesPerRecord <= max);

    public string Describe() => MaxBytesPerRecord is { } max
        ? $">= {Format.Count(MinRecordsPerSecond)} rec/s, <= {Format.Bytes(max)}/rec"
        : $">= {Format.Count(MinRecordsPerSecond)} rec/s";
}

namespace Pipelines.Shared.Observability;

/// <summary>CloudWatch metric units (written with their CloudWatch names, e.g. "Count/Second").</summary>
public enum MetricUnit
{
    None,
    Count,
    Seconds,
    Microseconds,
    Milliseconds,
    Bytes,
    Kilobytes,
    Megabytes,
    Gigabytes,
    Terabytes,
    Bits,
    Kilobits,
    Megabits,
    Gigabits,
    Terabits,
    Percent,
    BytesPerSecond,
    KilobytesPerSecond,
    MegabytesPerSecond,
    GigabytesPerSecond,
    TerabytesPerSecond,
    BitsPerSecond,
    KilobitsPerSecond,
    MegabitsPerSecond,
    GigabitsPerSecond,
    TerabitsPerSecond,
    CountPerSecond,
}

internal static class MetricUnitNames
{
    public static string Name(MetricUnit unit) => unit switch
    {
        MetricUnit.BytesPerSecond => "Bytes/Second",
        MetricUnit.KilobytesPerSecond => "Kilobytes/Second",
        MetricUnit.MegabytesPerSecond => "Megabytes/Second",
        MetricUnit.GigabytesPerSecond => "Gigabytes/Second",
        MetricUnit.TerabytesPerSecond => "Terabytes/Second",
        MetricUnit.BitsPerSecond => "Bits/Second",
        MetricUnit.KilobitsPerSecond => "Kilobits/Second",
        MetricUnit.MegabitsPerSecond => "Megabits/Second",
        MetricUnit.GigabitsPerSecond => "Gigabits/Second",
        MetricUnit.TerabitsPerSecond => "Terabits/Second",
        MetricUnit.CountPerSecond => "Count/Second",
        _ => unit.ToString(),
    };

    /// <summary>Amounts (counts, sizes) add up within an invocation; samples (durations, rates, percentages) are kept apart.</summary>
    public static bool IsAdditive(MetricUnit unit) => unit is MetricUnit.Count or MetricUnit.None
        or MetricUnit.Bytes or MetricUnit.Kilobytes or MetricUnit.Megabytes or MetricUnit.Gigabytes or MetricUnit.Terabytes
        or MetricUnit.Bits or MetricUnit.Kilobits or MetricUnit.Megabits or MetricUnit.Gigabits or MetricUnit.Terabits;
}

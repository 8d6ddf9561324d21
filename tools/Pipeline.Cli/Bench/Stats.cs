namespace Pipelines.Cli.Bench;

internal static class Stats
{
    /// <summary>Median of an ascending list (mean of the middle two for an even count).</summary>
    public static double Median(IReadOnlyList<double> sorted) => sorted.Count switch
    {
        0 => double.NaN,
        _ when sorted.Count % 2 == 1 => sorted[sorted.Count / 2],
        _ => (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2,
    };
}

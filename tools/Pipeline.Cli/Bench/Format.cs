using System.Globalization;

namespace Pipelines.Cli.Bench;

/// <summary>Number formatting for the report (invariant culture, thousands separators, short units).</summary>
internal static class Format
{
    public static string Count(double value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    public static string Number(double value, int decimals) =>
        value.ToString(decimals == 0 ? "#,0" : "#,0." + new string('0', decimals), CultureInfo.InvariantCulture);

    /// <summary>Decimal units (1 MB = 1,000,000 bytes), the same MB as in MB/s.</summary>
    public static string Bytes(double bytes) => bytes switch
    {
        >= 1e6 => Number(bytes / 1e6, 1) + " MB",
        >= 1e4 => Number(bytes / 1e3, 1) + " KB",
        _ => Number(bytes, 0) + " B",
    };

    /// <summary>Dollars with enough decimals that per-million figures of a fraction of a cent stay readable.</summary>
    public static string Money(double dollars) => "$" + dollars switch
    {
        >= 1 => dollars.ToString("#,0.00", CultureInfo.InvariantCulture),
        >= 0.01 => dollars.ToString("0.0000", CultureInfo.InvariantCulture),
        _ => dollars.ToString("0.000000", CultureInfo.InvariantCulture),
    };

    public static string Ms(double ms) => ms.ToString(ms >= 100 ? "#,0" : "0.0", CultureInfo.InvariantCulture);
}

using System.Collections.Concurrent;
using System.Text.Json;

namespace Pipelines.LocalCloud.Host;

/// <summary>
/// Sums the CloudWatch Embedded Metric Format documents functions print (one JSON object with an <c>_aws</c> block per
/// invocation), per function and metric: the numbers the summary shows come from the functions' own metrics.
/// </summary>
public sealed class FunctionMetricsCollector
{
    private readonly ConcurrentDictionary<(string Function, string Metric), double> _sums = new();

    public void Observe(string functionName, string line)
    {
        if (!line.Contains("\"_aws\"", StringComparison.Ordinal)) return;
        try
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (!root.TryGetProperty("_aws", out var aws) || !aws.TryGetProperty("CloudWatchMetrics", out var directives)) return;
            foreach (var directive in directives.EnumerateArray())
            {
                if (!directive.TryGetProperty("Metrics", out var metrics)) continue;
                foreach (var metric in metrics.EnumerateArray())
                {
                    var name = metric.GetProperty("Name").GetString();
                    if (name is null || !root.TryGetProperty(name, out var value)) continue;
                    var sum = value.ValueKind switch
                    {
                        JsonValueKind.Number => value.GetDouble(),
                        JsonValueKind.Array => value.EnumerateArray().Where(v => v.ValueKind == JsonValueKind.Number).Sum(v => v.GetDouble()),
                        _ => 0,
                    };
                    _sums.AddOrUpdate((functionName, name), sum, (_, old) => old + sum);
                }
            }
        }
        catch (JsonException)
        {
            // a line that merely mentions _aws is not a metrics document
        }
    }

    public double Get(string functionName, string metric) => _sums.GetValueOrDefault((functionName, metric));

    public IReadOnlyDictionary<string, double> For(string functionName) =>
        _sums.Where(kv => kv.Key.Function == functionName).ToDictionary(kv => kv.Key.Metric, kv => kv.Value, StringComparer.Ordinal);
}

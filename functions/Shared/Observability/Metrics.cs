
namespace Pipelines.Shared.Observability;

/// <summary>
/// Metrics as CloudWatch Embedded Metric Format: values are collected during an invocation and <see cref="Flush"/>
/// (called by the runtime loop after every invocation) writes them as EMF JSON lines to stdout, where CloudWatch Logs
/// turns them into metrics without any API call. Counts and sizes added under one name are summed; durations, rates
/// and percentages keep each sample. Namespace from METRICS_NAMESPACE; dimension FunctionName by default.
/// </summary>
public static class Metrics
{
    /// <summary>CloudWatch's limits per EMF document: metrics per directive and values per metric.</summary>
    public const int MaxMetricsPerDocument = 100;
    public const int MaxValuesPerMetric = 100;
    public const int MaxDimensions = 30;

    private const string EmfNamespaceMember = "Namespace";
    private static readonly Lock Gate = new();
    private static readonly Dictionary<string, Entry> Entries = new(StringComparer.Ordinal);
    private static readonly List<KeyValuePair<string, string>> DimensionList = DefaultDimensions();
    private static readonly JsonLineBuffer Buffer = new();

    public static string Namespace { get; set; } =
        Environment.GetEnvironmentVariable("METRICS_NAMESPACE") is { Length: > 0 } ns ? ns : "Pipelines";

    /// <summary>Records a value; thread-safe. Non-finite values are ignored (CloudWatch rejects them).</summary>
    public static void Add(string name, double value, MetricUnit unit = MetricUnit.Count)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!double.IsFinite(value)) return;
        lock (Gate)
        {
            if (!Entries.TryGetValue(name, out var entry))
            {
                entry = new Entry(unit);
                Entries.Add(name, entry);
            }
            if (MetricUnitNames.IsAdditive(entry.Unit) && entry.Values.Count == 1) entry.Values[0] += value;
            else entry.Values.Add(value);
        }
    }

    /// <summary>Adds or replaces a dimension on every metric from now on (kept across invocations).</summary>
    public static void SetDimension(string name, string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        lock (Gate)
        {
            var i = DimensionList.FindIndex(d => d.Key == name);
            if (i >= 0) DimensionList[i] = new(name, value);
            else if (DimensionList.Count < MaxDimensions) DimensionList.Add(new(name, value));
            else throw new InvalidOperationException($"EMF allows at most {MaxDimensions} dimensions.");
        }
    }

    public static void RemoveDimension(string name)
    {
        lock (Gate) DimensionList.RemoveAll(d => d.Key == name);
    }

    /// <summary>Writes everything recorded since the last flush (nothing at all when nothing was recorded) and clears it.</summary>
    public static void Flush()
    {
        lock (Gate)
        {
            if (Entries.Count == 0) return;
            var timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            // A metric with more than 100 samples continues in later documents ("rounds"); each round holds at most
            // 100 metrics per document.
            var maxRounds = 1;
            foreach (var e in Entries.Values) maxRounds = Math.Max(maxRounds, (e.Values.Count + MaxValuesPerMetric - 1) / MaxValuesPerMetric);
            var batch = new List<(string Name, Entry Entry, int Offset, int Count)>(MaxMetricsPerDocument);
            for (var round = 0; round < maxRounds; round++)
            {
                batch.Clear();
                foreach (var (name, entry) in Entries)
                {
                    var offset = round * MaxValuesPerMetric;
                    if (offset >= entry.Values.Count) continue;
                    batch.Add((name, entry, offset, Math.Min(MaxValuesPerMetric, entry.Values.Count - offset)));
                    if (batch.Count == MaxMetricsPerDocument)
                    {
                        WriteDocument(batch, timestamp);
                        batch.Clear();
                    }
                }
                if (batch.Count > 0) WriteDocument(batch, timestamp);
            }
            Entries.Clear();
        }
    }

    /// <summary>Drops recorded values and restores the default namespace/dimensions (tests).</summary>
    public static void Reset()
    {
        lock (Gate)
        {
            Entries.Clear();
            DimensionList.Clear();
            DimensionList.AddRange(DefaultDimensions());
        }
    }

    private static void WriteDocument(List<(string Name, Entry Entry, int Offset, int Count)> metrics, long timestamp)
    {
        var w = Buffer.Start();
        w.WriteStartObject();
        w.WriteStartObject("_aws");
        w.WriteNumber("Timestamp", timestamp);
        w.WriteStartArray("CloudWatchMetrics");
        w.WriteStartObject();
        w.WriteString(EmfNamespaceMember, Namespace);
        w.WriteStartArray("Dimensions");
        w.WriteStartArray();
        foreach (var d in DimensionList) w.WriteStringValue(d.Key);
        w.WriteEndArray();
        w.WriteEndArray();
        w.WriteStartArray("Metrics");
        foreach (var m in metrics)
        {
            w.WriteStartObject();
            w.WriteString("Name", m.Name);
            w.WriteString("Unit", MetricUnitNames.Name(m.Entry.Unit));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();

        foreach (var d in DimensionList) w.WriteString(d.Key, d.Value);
        foreach (var m in metrics)
        {
            if (m.Count == 1)
            {
                w.WriteNumber(m.Name, m.Entry.Values[m.Offset]);
                continue;
            }
            w.WriteStartArray(m.Name);
            for (var i = m.Offset; i < m.Offset + m.Count; i++) w.WriteNumberValue(m.Entry.Values[i]);
            w.WriteEndArray();
        }
        // Not a dimension (that would multiply metric cost): a plain member that ties the document to its invocation.
        if (TelemetryContext.RequestId is { } requestId) w.WriteString("request_id", requestId);
        w.WriteEndObject();
        Buffer.Emit();
    }

    private static List<KeyValuePair<string, string>> DefaultDimensions()
    {
        var list = new List<KeyValuePair<string, string>>();
        if (Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME") is { Length: > 0 } fn) list.Add(new("FunctionName", fn));
        return list;
    }

    private sealed class Entry(MetricUnit unit)
    {
        public MetricUnit Unit { get; } = unit;
        public List<double> Values { get; } = new(1);
    }
}

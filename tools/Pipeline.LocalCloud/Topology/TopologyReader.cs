using System.Text.Json;

namespace Pipelines.LocalCloud.Topology;

/// <summary>Reads topology/topology.json; unknown fields are ignored (Terraform reads some the local cloud does not need).</summary>
public static class TopologyReader
{
    public static TopologyDocument Load(string path)
    {
        using var stream = File.OpenRead(path);
        return Parse(stream);
    }

    /// <summary>topology/topology.json under the repository root.</summary>
    public static TopologyDocument LoadFromRepo(string repoRoot) => Load(Path.Combine(repoRoot, "topology", "topology.json"));

    public static TopologyDocument Parse(Stream json)
    {
        using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var root = doc.RootElement;
        var shared = root.GetProperty("shared");
        var settings = new SharedSettings(
            Str(shared, "rejects_bucket"), Str(shared, "metrics_namespace"), Str(shared, "ssm_prefix"));
        var pipelines = root.GetProperty("pipelines").EnumerateObject().Select(p => ParsePipeline(p.Name, p.Value)).ToList();
        return new TopologyDocument(settings, pipelines);
    }

    private static PipelineSpec ParsePipeline(string name, JsonElement p)
    {
        var streams = Objects(p, "streams").ToDictionary(e => e.Name, e => new StreamSpec(
            e.Name, Str(e.Value, "name"), OptStr(e.Value, "mode") ?? "PROVISIONED", Int(e.Value, "shards", 1)));
        var tables = Objects(p, "tables").ToDictionary(e => e.Name, e => new TableSpec(
            e.Name, Str(e.Value, "name"), Str(e.Value, "hash_key"), OptStr(e.Value, "hash_key_type") ?? "S",
            OptStr(e.Value, "range_key"), OptStr(e.Value, "range_key_type"), OptStr(e.Value, "stream_view_type"),
            OptStr(e.Value, "ttl_attribute")));
        var buckets = Objects(p, "buckets").ToDictionary(e => e.Name, e => new BucketSpec(e.Name, Str(e.Value, "name")));
        var queues = Objects(p, "queues").ToDictionary(e => e.Name, e => new QueueSpec(
            e.Name, Str(e.Value, "name"), Int(e.Value, "visibility_timeout_s", 30), Int(e.Value, "receive_wait_time_s", 0),
            Int(e.Value, "message_retention_s", 345600), Int(e.Value, "max_receive_count", 0), OptStr(e.Value, "dlq_name")));
        var notifications = p.TryGetProperty("notifications", out var n)
            ? n.EnumerateArray().Select(x => new NotificationSpec(
                Str(x, "bucket"), Str(x, "queue"),
                x.TryGetProperty("events", out var ev) ? ev.EnumerateArray().Select(v => v.GetString()!).ToList() : ["s3:ObjectCreated:*"],
                OptStr(x, "filter_prefix") ?? "", OptStr(x, "filter_suffix") ?? "")).ToList()
            : [];
        var firehoses = Objects(p, "firehose").ToDictionary(e => e.Name, e => new FirehoseSpec(
            e.Name, Str(e.Value, "name"), Str(e.Value, "source_stream"), Str(e.Value, "bucket"), Str(e.Value, "transform_function"),
            Str(e.Value, "prefix"), Str(e.Value, "error_prefix"), Int(e.Value, "buffering_size_mb", 5),
            Int(e.Value, "buffering_interval_s", 300), Int(e.Value, "processor_buffer_size_mb", 1),
            Int(e.Value, "processor_buffer_interval_s", 60)));
        var functions = Objects(p, "functions").Select(e => ParseFunction(name, e.Name, e.Value)).ToList();
        return new PipelineSpec(name, streams, tables, buckets, queues, notifications, firehoses, functions);
    }

    private static FunctionSpec ParseFunction(string pipeline, string name, JsonElement f)
    {
        var s = f.GetProperty("source");
        var source = new SourceSpec(
            Str(s, "type"), OptStr(s, "stream"), OptStr(s, "table"), OptStr(s, "queue"), OptStr(s, "firehose"),
            OptStr(s, "starting_position") ?? "TRIM_HORIZON", Int(s, "batch_size", 100), Int(s, "batching_window_s", 0),
            Int(s, "parallelization_factor", 1), s.TryGetProperty("bisect_on_error", out var b) && b.GetBoolean(),
            Int(s, "maximum_retry_attempts", -1), Int(s, "maximum_record_age_s", -1), OptStr(s, "on_failure_queue"),
            Int(s, "maximum_concurrency", 1000));
        return new FunctionSpec(
            name, pipeline, Str(f, "project"), Int(f, "memory_mb", 128), Int(f, "timeout_s", 3),
            StringMap(f, "environment"), StringMap(f, "tunables"), source);
    }

    private static List<JsonProperty> Objects(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Object ? [.. v.EnumerateObject()] : [];

    private static Dictionary<string, string> StringMap(JsonElement e, string name) =>
        Objects(e, name).ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText(), StringComparer.Ordinal);

    private static string Str(JsonElement e, string name) =>
        OptStr(e, name) ?? throw new InvalidDataException($"topology: '{name}' is missing");

    private static string? OptStr(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int Int(JsonElement e, string name, int fallback) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : fallback;
}

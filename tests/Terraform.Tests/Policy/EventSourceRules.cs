using System.Globalization;
using System.Text.Json.Nodes;
using Pipelines.Tests.Terraform.Infrastructure;

namespace Pipelines.Tests.Terraform.Policy;

/// <summary>
/// Event source mappings that lose nothing and never block a shard forever: partial batch responses, bisect,
/// bounded retries and record age, an on-failure destination; SQS queues that stay invisible long enough.
/// Checked in three places: the mapping resources, the module calls that fill them, and the topology values.
/// </summary>
internal static class EventSourceRules
{
    private const string ReportBatchItemFailures = "ReportBatchItemFailures";

    public static IReadOnlyList<PolicyRule> All { get; } =
    [
        new("LAMBDA_STREAM_MAPPINGS", "stream mappings report batch item failures, bisect, retry and age a bounded number of times, and have an on-failure destination", StreamMappings),
        new("LAMBDA_SQS_MAPPINGS", "SQS mappings report batch item failures and the queue's visibility timeout is >= 6x the function timeout", SqsMappings),
    ];

    private static IEnumerable<Violation> StreamMappings(PolicyContext ctx)
    {
        foreach (var dir in ctx.Dirs)
        {
            foreach (var mapping in dir.ResourcesOfType("aws_lambda_event_source_mapping").Where(m => m.Body.ContainsKey("starting_position")))
            {
                if (!Json.Strings(mapping.Body["function_response_types"]).Contains(ReportBatchItemFailures))
                {
                    yield return new Violation("LAMBDA_STREAM_MAPPINGS", mapping.Location, "function_response_types lacks ReportBatchItemFailures (one bad record would replay the whole batch)");
                }

                if (!mapping.Body.ContainsKey("bisect_batch_on_function_error") || Json.IsFalse(mapping.Body["bisect_batch_on_function_error"]))
                {
                    yield return new Violation("LAMBDA_STREAM_MAPPINGS", mapping.Location, "does not bisect failing batches");
                }

                foreach (var problem in Bounds(mapping.Body, new LocalsResolver(dir, ctx.Topology), "maximum_retry_attempts", "maximum_record_age_in_seconds"))
                {
                    yield return new Violation("LAMBDA_STREAM_MAPPINGS", mapping.Location, problem);
                }

                if (Json.Block(Json.Block(mapping.Body, "destination_config"), "on_failure")?["destination_arn"] is null)
                {
                    yield return new Violation("LAMBDA_STREAM_MAPPINGS", mapping.Location, "has no destination_config.on_failure (records given up on would be lost silently)");
                }
            }

            // Module calls fill the mappings: every stream source sets the reliability settings explicitly.
            foreach (var call in dir.ModuleCalls.Where(c => c.Body.ContainsKey("stream_sources")))
            {
                if (call.Body["stream_sources"] is not JsonObject sources)
                {
                    yield return new Violation("LAMBDA_STREAM_MAPPINGS", call.Location, "stream_sources is not a literal map and cannot be checked");
                    continue;
                }

                var resolver = new LocalsResolver(dir, ctx.Topology);
                foreach (var (key, source) in sources)
                {
                    var where = $"{call.Location} stream_sources[{key}]";
                    if (source is not JsonObject entry)
                    {
                        continue;
                    }

                    if (!entry.ContainsKey("on_failure_destination_arn"))
                    {
                        yield return new Violation("LAMBDA_STREAM_MAPPINGS", where, "has no on_failure_destination_arn");
                    }

                    if (!resolver.TryResolve(entry["bisect_batch_on_function_error"], out var bisect) || !Json.IsTrue(bisect))
                    {
                        yield return new Violation("LAMBDA_STREAM_MAPPINGS", where, "bisect_batch_on_function_error is not (or cannot be shown to be) true");
                    }

                    foreach (var problem in Bounds(entry, resolver, "maximum_retry_attempts", "maximum_record_age_in_seconds", required: true))
                    {
                        yield return new Violation("LAMBDA_STREAM_MAPPINGS", where, problem);
                    }
                }
            }
        }

        foreach (var (pipeline, _, function, fn) in ctx.TopologyFunctions())
        {
            if (fn["source"] is not JsonObject source || Json.Str(source["type"]) is not ("kinesis" or "dynamodb"))
            {
                continue;
            }

            var where = $"topology {pipeline}.functions.{function}.source";
            if (!Json.IsTrue(source["bisect_on_error"]))
            {
                yield return new Violation("LAMBDA_STREAM_MAPPINGS", where, "bisect_on_error is not true");
            }

            if (Json.Number(source["maximum_retry_attempts"]) is not { } retries || retries is < 0 or > 10000)
            {
                yield return new Violation("LAMBDA_STREAM_MAPPINGS", where, "maximum_retry_attempts must be 0-10000 (bounded)");
            }

            if (Json.Number(source["maximum_record_age_s"]) is not { } age || age is < 60 or > 604800)
            {
                yield return new Violation("LAMBDA_STREAM_MAPPINGS", where, "maximum_record_age_s must be 60-604800 (bounded)");
            }

            if (string.IsNullOrEmpty(Json.Str(source["on_failure_queue"])))
            {
                yield return new Violation("LAMBDA_STREAM_MAPPINGS", where, "has no on_failure_queue");
            }
        }
    }

    private static IEnumerable<Violation> SqsMappings(PolicyContext ctx)
    {
        foreach (var dir in ctx.Dirs)
        {
            var functions = dir.ResourcesOfType("aws_lambda_function").ToList();
            var queues = dir.ResourcesOfType("aws_sqs_queue").ToList();
            foreach (var mapping in dir.ResourcesOfType("aws_lambda_event_source_mapping").Where(m => !m.Body.ContainsKey("starting_position")))
            {
                if (!Json.Strings(mapping.Body["function_response_types"]).Contains(ReportBatchItemFailures))
                {
                    yield return new Violation("LAMBDA_SQS_MAPPINGS", mapping.Location, "function_response_types lacks ReportBatchItemFailures (one bad message would redeliver the whole batch)");
                }

                // Queue and function in the same module: compare their literal settings directly.
                var queue = queues.FirstOrDefault(q => Refs.RefersTo(mapping.Body["event_source_arn"], q.Address));
                var function = functions.FirstOrDefault(f => Refs.RefersTo(mapping.Body["function_name"], f.Address));
                if (queue is not null && function is not null)
                {
                    var visibility = Json.Number(queue.Body["visibility_timeout_seconds"]) ?? 30;
                    var timeout = Json.Number(function.Body["timeout"]) ?? 3;
                    if (visibility < 6 * timeout)
                    {
                        yield return new Violation("LAMBDA_SQS_MAPPINGS", mapping.Location,
                            $"{queue.Address} visibility timeout {Format(visibility)} s is below 6 x {function.Address} timeout {Format(timeout)} s");
                    }
                }
                else
                {
                    // Otherwise the mapping must guard the ratio itself with a precondition on the values it is given.
                    var guarded = Json.Objects(mapping.Body["lifecycle"]).SelectMany(l => Json.Objects(l["precondition"]))
                        .Any(p => Json.Str(p["condition"]) is { } c && c.Contains("visibility", StringComparison.Ordinal) && c.Contains("6 *", StringComparison.Ordinal));
                    if (!guarded)
                    {
                        yield return new Violation("LAMBDA_SQS_MAPPINGS", mapping.Location, "has no precondition that the queue visibility timeout is >= 6x the function timeout");
                    }
                }
            }

            foreach (var call in dir.ModuleCalls.Where(c => c.Body.ContainsKey("sqs_sources")))
            {
                foreach (var (key, source) in call.Body["sqs_sources"] as JsonObject ?? [])
                {
                    if (source is JsonObject entry && !entry.ContainsKey("queue_visibility_timeout_seconds"))
                    {
                        yield return new Violation("LAMBDA_SQS_MAPPINGS", $"{call.Location} sqs_sources[{key}]", "does not pass the queue's visibility timeout (the 6x check cannot run)");
                    }
                }
            }
        }

        foreach (var (pipeline, node, function, fn) in ctx.TopologyFunctions())
        {
            if (fn["source"] is not JsonObject source || Json.Str(source["type"]) != "sqs")
            {
                continue;
            }

            var queueKey = Json.Str(source["queue"]) ?? "";
            var visibility = Json.Number(node["queues"]?[queueKey]?["visibility_timeout_s"]);
            var timeout = Json.Number(fn["timeout_s"]);
            if (visibility is null || timeout is null || visibility < 6 * timeout)
            {
                yield return new Violation("LAMBDA_SQS_MAPPINGS", $"topology {pipeline}.queues.{queueKey}",
                    $"visibility_timeout_s {Format(visibility)} is below 6 x {function} timeout_s {Format(timeout)}");
            }
        }
    }

    /// <summary>Retry and record-age settings must be present (when required) and bounded; -1 means forever.</summary>
    private static IEnumerable<string> Bounds(JsonObject body, LocalsResolver resolver, string retriesKey, string ageKey, bool required = true)
    {
        foreach (var (key, min, max) in new[] { (retriesKey, 0d, 10000d), (ageKey, 60d, 604800d) })
        {
            if (!body.ContainsKey(key))
            {
                if (required)
                {
                    yield return $"{key} is not set (the default -1 retries or keeps records forever)";
                }

                continue;
            }

            if (!resolver.TryResolve(body[key], out var value))
            {
                // A module input (var.x / each.value.x): the module's variable validation bounds it.
                if (Json.Str(body[key]) is { } text && (text.Contains("each.value.", StringComparison.Ordinal) || text.Contains("var.", StringComparison.Ordinal)))
                {
                    continue;
                }

                yield return $"{key} cannot be evaluated statically";
                continue;
            }

            if (Json.Number(value) is not { } number || number < min || number > max)
            {
                yield return $"{key} = {value?.ToJsonString() ?? "null"} is not bounded ({Format(min)}-{Format(max)})";
            }
        }
    }

    private static string Format(double? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "unset";
}

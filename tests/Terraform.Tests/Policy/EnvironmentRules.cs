using System.Text.Json.Nodes;
using Pipelines.Tests.Terraform.Infrastructure;

namespace Pipelines.Tests.Terraform.Policy;

/// <summary>Environments compose the whole suite with state locking and their own settings; the topology's references resolve.</summary>
internal static class EnvironmentRules
{
    private static readonly string[] Pipelines = ["reviews", "events", "orders", "counties", "catalog"];
    private static readonly string[] ReferenceKinds = ["table", "bucket", "stream", "shared", "literal"];

    public static IReadOnlyList<PolicyRule> All { get; } =
    [
        new("TF_ENV_COMPOSES_PIPELINES", "each environment composes all five pipelines and the monitoring (directly or through the modules it calls)", ComposesPipelines),
        new("TF_ENV_LAYOUT", "each environment has an S3 backend with locking, default tags, tfvars; prod protects its data", Layout),
        new("TOPOLOGY_REFERENCES", "every table:/bucket:/stream:/shared: reference and source in the topology resolves", TopologyReferences),
    ];

    private static IEnumerable<Violation> ComposesPipelines(PolicyContext ctx)
    {
        var required = Pipelines.Concat(ctx.Topology?["pipelines"] is JsonObject p ? p.Select(x => x.Key) : []).Distinct(StringComparer.Ordinal).ToList();
        foreach (var envPath in ctx.EnvironmentDirs)
        {
            var relative = RepoPaths.Relative(envPath);
            if (!ctx.Workspace.Dirs.TryGetValue(envPath, out var env))
            {
                yield return new Violation("TF_ENV_COMPOSES_PIPELINES", relative, "has no Terraform configuration");
                continue;
            }

            // Followed through the modules the environment calls: environment -> terraform/suite -> pipelines.
            var sources = ctx.Workspace.ModuleCallsBelow(env)
                .Select(c => TfWorkspace.SourcePath(c.Caller, c.Call)).OfType<string>().Select(s => s.Replace('\\', '/')).ToList();
            foreach (var pipeline in required.Where(p => !sources.Any(s => s.EndsWith($"/pipelines/{p}", StringComparison.Ordinal))))
            {
                yield return new Violation("TF_ENV_COMPOSES_PIPELINES", relative, $"does not compose the {pipeline} pipeline (terraform/pipelines/{pipeline})");
            }

            if (!sources.Any(s => s.EndsWith("/modules/monitoring", StringComparison.Ordinal)))
            {
                yield return new Violation("TF_ENV_COMPOSES_PIPELINES", relative, "does not compose the monitoring module");
            }
        }
    }

    private static IEnumerable<Violation> Layout(PolicyContext ctx)
    {
        foreach (var envPath in ctx.EnvironmentDirs)
        {
            var name = Path.GetFileName(envPath);
            var relative = RepoPaths.Relative(envPath);
            if (!ctx.Workspace.Dirs.TryGetValue(envPath, out var env))
            {
                yield return new Violation("TF_ENV_LAYOUT", relative, "has no Terraform configuration");
                continue;
            }

            if (!env.TerraformBlocks.Any(b => b["backend"] is JsonObject backend && backend.ContainsKey("s3")))
            {
                yield return new Violation("TF_ENV_LAYOUT", relative, "has no backend \"s3\" block");
            }

            if (!env.AttributeFiles.TryGetValue("backend.hcl", out var backend))
            {
                yield return new Violation("TF_ENV_LAYOUT", relative, "has no backend.hcl (partial backend configuration)");
            }
            else
            {
                foreach (var setting in new[] { "bucket", "key", "region" }.Where(k => string.IsNullOrEmpty(Json.Str(backend[k]))))
                {
                    yield return new Violation("TF_ENV_LAYOUT", $"{relative}/backend.hcl", $"does not set {setting}");
                }

                if (string.IsNullOrEmpty(Json.Str(backend["dynamodb_table"])) && !Json.IsTrue(backend["use_lockfile"]))
                {
                    yield return new Violation("TF_ENV_LAYOUT", $"{relative}/backend.hcl", "has no state locking (dynamodb_table or use_lockfile = true)");
                }

                if (Json.Str(backend["key"]) is { } key && !key.Contains(name, StringComparison.Ordinal))
                {
                    yield return new Violation("TF_ENV_LAYOUT", $"{relative}/backend.hcl", $"state key '{key}' does not name the environment");
                }
            }

            var aws = env.Providers.Where(p => p.Name == "aws" && !p.Body.ContainsKey("alias")).Select(p => p.Body).FirstOrDefault();
            if (aws is null || !aws.ContainsKey("region") || Json.Block(aws, "default_tags") is null)
            {
                yield return new Violation("TF_ENV_LAYOUT", relative, "has no default aws provider with region and default_tags");
            }

            if (!env.AttributeFiles.ContainsKey("terraform.tfvars"))
            {
                yield return new Violation("TF_ENV_LAYOUT", relative, "has no terraform.tfvars");
                continue;
            }

            if (Json.Str(env.TfVars.GetValueOrDefault("environment")) != name)
            {
                yield return new Violation("TF_ENV_LAYOUT", $"{relative}/terraform.tfvars", $"environment must be \"{name}\"");
            }

            if (name == "prod")
            {
                if (!Json.IsTrue(env.TfVars.GetValueOrDefault("deletion_protection")))
                {
                    yield return new Violation("TF_ENV_LAYOUT", $"{relative}/terraform.tfvars", "prod must set deletion_protection = true");
                }
            }
        }
    }

    private static IEnumerable<Violation> TopologyReferences(PolicyContext ctx)
    {
        if (ctx.Topology is null)
        {
            yield break;
        }

        var shared = ctx.Topology["shared"] as JsonObject;
        foreach (var (pipeline, node, function, fn) in ctx.TopologyFunctions())
        {
            var where = $"topology {pipeline}.functions.{function}";
            foreach (var (variable, value) in fn["environment"] as JsonObject ?? [])
            {
                var text = Json.Str(value) ?? "";
                var colon = text.IndexOf(':', StringComparison.Ordinal);
                var kind = colon < 0 ? "" : text[..colon];
                var key = colon < 0 ? "" : text[(colon + 1)..];
                if (!ReferenceKinds.Contains(kind))
                {
                    yield return new Violation("TOPOLOGY_REFERENCES", where, $"{variable} = '{text}' is not a table:/bucket:/stream:/shared:/literal: reference");
                    continue;
                }

                var scope = kind switch
                {
                    "table" => node["tables"] as JsonObject,
                    "bucket" => node["buckets"] as JsonObject,
                    "stream" => node["streams"] as JsonObject,
                    "shared" => shared,
                    _ => null,
                };
                if (kind != "literal" && (scope is null || !scope.ContainsKey(key)))
                {
                    yield return new Violation("TOPOLOGY_REFERENCES", where, $"{variable} = '{text}': no {kind} '{key}' in {(kind == "shared" ? "shared" : pipeline)}");
                }
            }

            if (fn["source"] is not JsonObject source)
            {
                continue;
            }

            var (collection, sourceKey) = Json.Str(source["type"]) switch
            {
                "kinesis" => ("streams", "stream"),
                "dynamodb" => ("tables", "table"),
                "sqs" => ("queues", "queue"),
                "firehose" => ("firehose", "firehose"),
                var other => ("", other ?? "none"),
            };
            if (collection.Length == 0)
            {
                yield return new Violation("TOPOLOGY_REFERENCES", where, $"source type '{sourceKey}' is not kinesis, dynamodb, sqs or firehose");
            }
            else if (Json.Str(source[sourceKey]) is not { } target || node[collection] is not JsonObject targets || !targets.ContainsKey(target))
            {
                yield return new Violation("TOPOLOGY_REFERENCES", where, $"source {sourceKey} '{Json.Str(source[sourceKey])}' is not in {pipeline}.{collection}");
            }
        }

        foreach (var (pipeline, node) in ctx.Topology["pipelines"] as JsonObject ?? [])
        {
            foreach (var notification in Json.Objects(node?["notifications"]))
            {
                if (node?["buckets"] is not JsonObject buckets || !buckets.ContainsKey(Json.Str(notification["bucket"]) ?? ""))
                {
                    yield return new Violation("TOPOLOGY_REFERENCES", $"topology {pipeline}.notifications", $"bucket '{Json.Str(notification["bucket"])}' is not in {pipeline}.buckets");
                }

                if (node?["queues"] is not JsonObject queues || !queues.ContainsKey(Json.Str(notification["queue"]) ?? ""))
                {
                    yield return new Violation("TOPOLOGY_REFERENCES", $"topology {pipeline}.notifications", $"queue '{Json.Str(notification["queue"])}' is not in {pipeline}.queues");
                }
            }

            foreach (var (name, delivery) in node?["firehose"] as JsonObject ?? [])
            {
                var where = $"topology {pipeline}.firehose.{name}";
                if (node?["streams"] is not JsonObject streams || !streams.ContainsKey(Json.Str(delivery?["source_stream"]) ?? ""))
                {
                    yield return new Violation("TOPOLOGY_REFERENCES", where, $"source_stream '{Json.Str(delivery?["source_stream"])}' is not in {pipeline}.streams");
                }

                if (node?["buckets"] is not JsonObject buckets || !buckets.ContainsKey(Json.Str(delivery?["bucket"]) ?? ""))
                {
                    yield return new Violation("TOPOLOGY_REFERENCES", where, $"bucket '{Json.Str(delivery?["bucket"])}' is not in {pipeline}.buckets");
                }

                if (node?["functions"] is not JsonObject functions || !functions.ContainsKey(Json.Str(delivery?["transform_function"]) ?? ""))
                {
                    yield return new Violation("TOPOLOGY_REFERENCES", where, $"transform_function '{Json.Str(delivery?["transform_function"])}' is not in {pipeline}.functions");
                }
            }
        }
    }
}

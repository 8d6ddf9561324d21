namespace Pipelines.LocalCloud.Topology;

/// <summary>
/// The environment Terraform gives a function, resolved from the topology's references
/// (<c>table:</c>, <c>bucket:</c>, <c>stream:</c> within the pipeline, <c>shared:</c>, <c>literal:</c>) plus what every
/// function gets: SSM_PARAMETER_PREFIX, METRICS_NAMESPACE, LOG_LEVEL and AWS_REGION.
/// </summary>
public static class FunctionEnvironment
{
    public const string LocalEnvironmentName = "local";

    public static Dictionary<string, string> Resolve(TopologyDocument topology, FunctionSpec function, string environmentName = LocalEnvironmentName)
    {
        var pipeline = topology.Pipeline(function.Pipeline);
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, reference) in function.Environment)
            env[name] = ResolveReference(topology, pipeline, reference, $"{function.Name}.{name}");
        env["SSM_PARAMETER_PREFIX"] = SsmPrefix(topology, function.Name, environmentName);
        env["METRICS_NAMESPACE"] = topology.Shared.MetricsNamespace;
        env["LOG_LEVEL"] = "INFO";
        env["AWS_REGION"] = Emulators.LocalCredentials.Region;
        return env;
    }

    /// <summary><c>&lt;ssm_prefix&gt;/&lt;env&gt;/&lt;function&gt;/</c>: tunables are String parameters named by key under it.</summary>
    public static string SsmPrefix(TopologyDocument topology, string functionName, string environmentName = LocalEnvironmentName) =>
        $"{topology.Shared.SsmPrefix.TrimEnd('/')}/{environmentName}/{functionName}/";

    public static string ResolveReference(TopologyDocument topology, PipelineSpec pipeline, string reference, string where)
    {
        var colon = reference.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0) throw new InvalidDataException($"topology: {where} = '{reference}' is not a <kind>:<key> reference");
        var (kind, key) = (reference[..colon], reference[(colon + 1)..]);
        return kind switch
        {
            "literal" => key,
            "table" => pipeline.Tables.TryGetValue(key, out var t) ? t.Name : throw Missing(),
            "bucket" => pipeline.Buckets.TryGetValue(key, out var b) ? b.Name : throw Missing(),
            "stream" => pipeline.Streams.TryGetValue(key, out var s) ? s.Name : throw Missing(),
            "queue" => pipeline.Queues.TryGetValue(key, out var q) ? q.Name : throw Missing(),
            "shared" => key switch
            {
                "rejects_bucket" => topology.Shared.RejectsBucket,
                "metrics_namespace" => topology.Shared.MetricsNamespace,
                "ssm_prefix" => topology.Shared.SsmPrefix,
                _ => throw Missing(),
            },
            _ => throw new InvalidDataException($"topology: {where} uses unknown reference kind '{kind}'"),
        };

        InvalidDataException Missing() => new($"topology: {where} = '{reference}' names nothing in pipeline '{pipeline.Name}'");
    }
}

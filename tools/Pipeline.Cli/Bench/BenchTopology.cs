using Pipelines.Cli.Bench.Sinks;
using Pipelines.LocalCloud.Topology;

namespace Pipelines.Cli.Bench;

/// <summary>The topology as the benchmarks need it: each function's spec, its resolved environment and its tables.</summary>
internal sealed class BenchTopology(TopologyDocument document)
{
    public TopologyDocument Document { get; } = document;

    public FunctionSpec Function(string name) => Document.Function(name);

    /// <summary>What Terraform would set (table, bucket and stream names, prefixes).</summary>
    public Dictionary<string, string> Environment(FunctionSpec spec) => FunctionEnvironment.Resolve(Document, spec);

    /// <summary>An in-memory DynamoDB that holds the tables of the function's pipeline, with their key schema.</summary>
    public InMemoryDynamoDb DynamoFor(FunctionSpec spec) =>
        new(Document.Pipeline(spec.Pipeline).Tables.Values.ToDictionary(t => t.Name, t => (t.HashKey, t.RangeKey), StringComparer.Ordinal));

    /// <summary>The function's tunables as fixed values (what SSM holds for it in every environment).</summary>
    public static Pipelines.Shared.Configuration.Tunables Tunables(FunctionSpec spec) =>
        Pipelines.Shared.Configuration.Tunables.FromValues(spec.Tunables);
}

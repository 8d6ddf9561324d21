using System.Text.Json.Nodes;
using Pipelines.Tests.Terraform.Infrastructure;

namespace Pipelines.Tests.Terraform.Policy;

/// <summary>A finding: which rule, where, and what is wrong.</summary>
internal sealed record Violation(string Rule, string Location, string Message)
{
    public override string ToString() => $"[{Rule}] {Location}: {Message}";
}

/// <summary>What a rule checks: the repository's terraform/ (with the real topology and Jenkinsfile) or one bad fixture.</summary>
internal sealed class PolicyContext
{
    private static readonly Lazy<PolicyContext> LazyRepository = new(() => new PolicyContext(
        RepoPaths.Terraform,
        TfWorkspace.Load(RepoPaths.Terraform, HclParser.All),
        JsonNode.Parse(File.ReadAllText(RepoPaths.Topology)),
        File.Exists(RepoPaths.Jenkinsfile) ? File.ReadAllText(RepoPaths.Jenkinsfile) : null));

    private PolicyContext(string scopeRoot, TfWorkspace workspace, JsonNode? topology, string? jenkinsfile)
    {
        ScopeRoot = scopeRoot;
        Workspace = workspace;
        Topology = topology;
        Jenkinsfile = jenkinsfile;
    }

    public static PolicyContext Repository => LazyRepository.Value;

    /// <summary>terraform/ for the repository, the fixture directory for a bad fixture.</summary>
    public string ScopeRoot { get; }

    public TfWorkspace Workspace { get; }

    /// <summary>topology/topology.json (a fixture may bring its own topology.json).</summary>
    public JsonNode? Topology { get; }

    public string? Jenkinsfile { get; }

    public IEnumerable<TfDir> Dirs => Workspace.Dirs.Values;

    /// <summary>Environment directories: &lt;scope&gt;/environments/*.</summary>
    public IEnumerable<string> EnvironmentDirs
    {
        get
        {
            var dir = Path.Combine(ScopeRoot, "environments");
            return Directory.Exists(dir) ? Directory.EnumerateDirectories(dir).Order(StringComparer.Ordinal) : [];
        }
    }

    public static string FixtureDir(string ruleId) => Path.Combine(RepoPaths.BadFixtures, ruleId);

    public static PolicyContext Fixture(string ruleId)
    {
        var dir = FixtureDir(ruleId);
        var topology = Path.Combine(dir, "topology.json");
        var jenkinsfile = Path.Combine(dir, "Jenkinsfile");
        return new PolicyContext(
            dir,
            TfWorkspace.Load(dir, HclParser.All),
            File.Exists(topology) ? JsonNode.Parse(File.ReadAllText(topology)) : null,
            File.Exists(jenkinsfile) ? File.ReadAllText(jenkinsfile) : null);
    }

    /// <summary>Functions of the topology with their pipeline: (pipeline, function name, function node).</summary>
    public IEnumerable<(string Pipeline, JsonObject PipelineNode, string Function, JsonObject FunctionNode)> TopologyFunctions()
    {
        if (Topology?["pipelines"] is not JsonObject pipelines)
        {
            yield break;
        }

        foreach (var (pipelineName, pipelineNode) in pipelines)
        {
            if (pipelineNode?["functions"] is not JsonObject functions)
            {
                continue;
            }

            foreach (var (functionName, functionNode) in functions)
            {
                if (functionNode is JsonObject fn)
                {
                    yield return (pipelineName, pipelineNode.AsObject(), functionName, fn);
                }
            }
        }
    }
}

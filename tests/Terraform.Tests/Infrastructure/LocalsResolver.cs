using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Pipelines.Tests.Terraform.Infrastructure;

/// <summary>
/// Evaluates the expressions Terraform evaluates from the topology: a traversal of locals such as
/// local.fn.source.maximum_retry_attempts, where local.fn = local.pipeline.functions[local.fn_key],
/// local.pipeline = local.topology.pipelines.reviews and local.topology = jsondecode(file(...topology.json)).
/// Anything else (function calls, module outputs) is reported as unresolved.
/// </summary>
internal sealed partial class LocalsResolver
{
    private readonly TfDir dir;
    private readonly JsonNode? topology;

    public LocalsResolver(TfDir dir, JsonNode? topology)
    {
        this.dir = dir;
        this.topology = topology;
    }

    /// <summary>The value of a literal or of a "${traversal}" expression; false when it cannot be evaluated statically.</summary>
    public bool TryResolve(JsonNode? node, out JsonNode? value) => TryResolve(node, 0, out value);

    private bool TryResolve(JsonNode? node, int depth, out JsonNode? value)
    {
        value = null;
        if (depth > 20)
        {
            return false;
        }

        var text = Json.Str(node);
        if (text is null || !text.Contains("${", StringComparison.Ordinal))
        {
            value = node;
            return true;
        }

        if (!text.StartsWith("${", StringComparison.Ordinal) || !text.EndsWith('}') || text.IndexOf("${", 2, StringComparison.Ordinal) >= 0)
        {
            return false;
        }

        var expression = text[2..^1].Trim();
        if (TopologyLoad().IsMatch(expression))
        {
            value = topology;
            return topology is not null;
        }

        return TryTraverse(expression.Trim('(', ')').Trim(), depth, out value);
    }

    private bool TryTraverse(string expression, int depth, out JsonNode? value)
    {
        value = null;
        var match = Traversal().Match(expression);
        if (!match.Success || match.Groups["root"].Value != "local")
        {
            return false;
        }

        var steps = match.Groups["step"].Captures.Select(c => c.Value).ToList();
        if (steps.Count == 0 || !steps[0].StartsWith('.'))
        {
            return false;
        }

        if (!dir.Locals.TryGetValue(steps[0][1..], out var local) || !TryResolve(local, depth + 1, out var current))
        {
            return false;
        }

        foreach (var step in steps.Skip(1))
        {
            string key;
            if (step.StartsWith('.'))
            {
                key = step[1..];
            }
            else
            {
                var inner = step[1..^1].Trim();
                if (inner.StartsWith('"'))
                {
                    key = inner.Trim('"');
                }
                else if (int.TryParse(inner, out var index))
                {
                    if (current is not JsonArray array || index >= array.Count)
                    {
                        return false;
                    }

                    current = array[index];
                    continue;
                }
                else if (TryResolve(JsonValue.Create("${" + inner + "}"), depth + 1, out var keyNode) && Json.Str(keyNode) is { } resolvedKey)
                {
                    key = resolvedKey;
                }
                else
                {
                    return false;
                }
            }

            if (current is not JsonObject obj || !obj.TryGetPropertyValue(key, out current))
            {
                return false;
            }
        }

        value = current;
        return true;
    }

    [GeneratedRegex(@"^jsondecode\(file\(.*topology.*\)\)$", RegexOptions.Singleline)]
    private static partial Regex TopologyLoad();

    // root, then .name / ["key"] / [0] / [local.x.y] steps.
    [GeneratedRegex(@"^(?<root>[A-Za-z_][\w-]*)(?<step>\.[A-Za-z_][\w-]*|\[(?:""[^""]*""|\d+|[A-Za-z_][\w.-]*)\])*$")]
    private static partial Regex Traversal();
}

using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Pipelines.Tests.Terraform.Infrastructure;

namespace Pipelines.Tests.Terraform.Policy;

/// <summary>What `terraform validate` would reject, checked without Terraform: syntax, module wiring, references.</summary>
internal static partial class StructureRules
{
    private static readonly string[] MetaArguments = ["source", "version", "providers", "count", "for_each", "depends_on"];

    public static IReadOnlyList<PolicyRule> All { get; } =
    [
        new("TF_SYNTAX", "every .tf file parses", Syntax),
        new("TF_MODULE_SOURCE", "every module call's source exists", ModuleSources),
        new("TF_MODULE_REQUIRED_ARGS", "every module call passes every required variable", RequiredArguments),
        new("TF_MODULE_UNKNOWN_ARGS", "no module call passes an undeclared variable", UnknownArguments),
        new("TF_VAR_DECLARED", "every var.x is declared in its module", DeclaredVariables),
        new("TF_MODULE_OUTPUT_EXISTS", "every module.x.y names a module call and one of its outputs", ModuleOutputs),
        new("TF_MODULE_LAYOUT", "modules and the suite have main/variables/outputs/versions/README, typed described variables, pinned versions", ModuleLayout),
        new("TF_MOVED_TARGETS", "every moved block moves to a module call or resource that exists", MovedTargets),
    ];

    private static IEnumerable<Violation> Syntax(PolicyContext ctx) =>
        ctx.Workspace.Errors.Select(e => new Violation("TF_SYNTAX", RepoPaths.Relative(e.File), e.Message.Replace(RepoPaths.Root + "/", "", StringComparison.Ordinal)));

    private static IEnumerable<Violation> ModuleSources(PolicyContext ctx)
    {
        foreach (var dir in ctx.Dirs)
        {
            foreach (var call in dir.ModuleCalls)
            {
                var source = Json.Str(call.Body["source"]);
                if (source is null)
                {
                    yield return new Violation("TF_MODULE_SOURCE", call.Location, "has no source");
                }
                else if (!source.StartsWith("./", StringComparison.Ordinal) && !source.StartsWith("../", StringComparison.Ordinal))
                {
                    yield return new Violation("TF_MODULE_SOURCE", call.Location, $"source '{source}' is not a module of this repository (./ or ../)");
                }
                else if (ctx.Workspace.Resolve(dir, call) is null)
                {
                    yield return new Violation("TF_MODULE_SOURCE", call.Location, $"source '{source}' has no .tf files");
                }
            }
        }
    }

    private static IEnumerable<Violation> RequiredArguments(PolicyContext ctx)
    {
        foreach (var dir in ctx.Dirs)
        {
            foreach (var call in dir.ModuleCalls)
            {
                if (ctx.Workspace.Resolve(dir, call) is not { } target)
                {
                    continue;
                }

                foreach (var variable in target.Variables.Where(v => !v.Body.ContainsKey("default")))
                {
                    if (!call.Body.ContainsKey(variable.Name))
                    {
                        yield return new Violation("TF_MODULE_REQUIRED_ARGS", call.Location, $"does not pass required variable '{variable.Name}' of {target.RelativePath}");
                    }
                }
            }
        }
    }

    private static IEnumerable<Violation> UnknownArguments(PolicyContext ctx)
    {
        foreach (var dir in ctx.Dirs)
        {
            foreach (var call in dir.ModuleCalls)
            {
                if (ctx.Workspace.Resolve(dir, call) is not { } target)
                {
                    continue;
                }

                var declared = target.Variables.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
                foreach (var argument in call.Body.Select(p => p.Key).Where(k => !MetaArguments.Contains(k) && !declared.Contains(k)))
                {
                    yield return new Violation("TF_MODULE_UNKNOWN_ARGS", call.Location, $"passes '{argument}', which {target.RelativePath} does not declare");
                }
            }
        }
    }

    private static IEnumerable<Violation> DeclaredVariables(PolicyContext ctx)
    {
        foreach (var dir in ctx.Dirs)
        {
            var declared = dir.Variables.Select(v => v.Name).ToHashSet(StringComparer.Ordinal);
            foreach (var block in dir.AllBlocks.Concat(LocalsBlocks(dir)))
            {
                var used = Json.AllStrings(block.Body)
                    .Where(s => s.Contains("${", StringComparison.Ordinal))
                    .SelectMany(s => Refs.Variable().Matches(s).Select(m => m.Groups[1].Value))
                    .Distinct(StringComparer.Ordinal);
                foreach (var name in used.Where(n => !declared.Contains(n)))
                {
                    yield return new Violation("TF_VAR_DECLARED", block.Location, $"uses var.{name}, which {dir.RelativePath} does not declare");
                }
            }
        }
    }

    private static IEnumerable<Violation> ModuleOutputs(PolicyContext ctx)
    {
        foreach (var dir in ctx.Dirs)
        {
            var calls = dir.ModuleCalls.ToDictionary(c => c.Name, StringComparer.Ordinal);
            foreach (var block in dir.AllBlocks.Concat(LocalsBlocks(dir)))
            {
                var references = Json.AllStrings(block.Body)
                    .Where(s => s.Contains("${", StringComparison.Ordinal))
                    .SelectMany(s => Refs.ModuleOutput().Matches(s))
                    .Select(m => (Module: m.Groups[1].Value, Output: m.Groups[2].Success ? m.Groups[2].Value : null))
                    .Distinct();
                foreach (var (module, output) in references)
                {
                    if (!calls.TryGetValue(module, out var call))
                    {
                        yield return new Violation("TF_MODULE_OUTPUT_EXISTS", block.Location, $"references module.{module}, which {dir.RelativePath} does not call");
                        continue;
                    }

                    if (output is not null && ctx.Workspace.Resolve(dir, call) is { } target && target.Outputs.All(o => o.Name != output))
                    {
                        yield return new Violation("TF_MODULE_OUTPUT_EXISTS", block.Location, $"references module.{module}.{output}, but {target.RelativePath} has no output '{output}'");
                    }
                }
            }
        }
    }

    private static IEnumerable<Violation> ModuleLayout(PolicyContext ctx)
    {
        // Reusable modules and the suite, the composition every environment calls.
        var modulesDir = Path.Combine(ctx.ScopeRoot, "modules");
        IEnumerable<string> moduleDirs = Directory.Exists(modulesDir) ? Directory.EnumerateDirectories(modulesDir).Order(StringComparer.Ordinal) : [];
        var suiteDir = Path.Combine(ctx.ScopeRoot, "suite");
        foreach (var path in Directory.Exists(suiteDir) ? moduleDirs.Append(suiteDir) : moduleDirs)
        {
            var relative = RepoPaths.Relative(path);
            foreach (var file in new[] { "main.tf", "variables.tf", "outputs.tf", "versions.tf", "README.md" }.Where(f => !File.Exists(Path.Combine(path, f))))
            {
                yield return new Violation("TF_MODULE_LAYOUT", relative, $"has no {file}");
            }
        }

        // Every module (reusable modules, pipeline compositions, environments) pins Terraform and the AWS provider.
        foreach (var dir in ctx.Dirs.Where(d => d.Files.Any(f => f.EndsWith(".tf", StringComparison.Ordinal))))
        {
            var terraform = dir.TerraformBlocks.FirstOrDefault(b => b.ContainsKey("required_version"));
            var requiredVersion = Json.Str(terraform?["required_version"]);
            var minimum = requiredVersion is null ? null : MinimumVersion().Match(requiredVersion);
            if (minimum is not { Success: true } ||
                new Version(int.Parse(minimum.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(minimum.Groups[2].Value, CultureInfo.InvariantCulture)) < new Version(1, 6))
            {
                yield return new Violation("TF_MODULE_LAYOUT", dir.RelativePath, $"required_version must be '>= 1.6' or newer (found '{requiredVersion ?? "none"}')");
            }

            var aws = dir.TerraformBlocks.SelectMany(b => Json.Objects(b["required_providers"])).Select(p => p["aws"]).OfType<JsonObject>().FirstOrDefault();
            var pin = Json.Str(aws?["version"]);
            if (aws is null || Json.Str(aws["source"]) != "hashicorp/aws" || pin is null || !MajorPin().IsMatch(pin))
            {
                yield return new Violation("TF_MODULE_LAYOUT", dir.RelativePath, $"must require hashicorp/aws pinned to one major version ('~> 5.0'), found '{pin ?? "none"}'");
            }

            foreach (var variable in dir.Variables)
            {
                if (!variable.Body.ContainsKey("type"))
                {
                    yield return new Violation("TF_MODULE_LAYOUT", variable.Location, "has no type");
                }

                if (string.IsNullOrWhiteSpace(Json.Str(variable.Body["description"])))
                {
                    yield return new Violation("TF_MODULE_LAYOUT", variable.Location, "has no description");
                }
            }
        }
    }

    // terraform validate accepts a moved block whose target does not exist; the next apply would then destroy what
    // was meant to move and create it anew under its new address.
    private static IEnumerable<Violation> MovedTargets(PolicyContext ctx)
    {
        foreach (var dir in ctx.Dirs)
        {
            foreach (var moved in dir.MovedBlocks)
            {
                var to = TfWorkspace.Expression(moved.Body["to"]);
                if (to is null)
                {
                    yield return new Violation("TF_MOVED_TARGETS", moved.Location, "has no to address");
                    continue;
                }

                var problem = MissingTarget(ctx.Workspace, dir, to);
                if (problem is not null)
                {
                    yield return new Violation("TF_MOVED_TARGETS", moved.Location, $"moves to {to}, but {problem}");
                }
            }
        }
    }

    /// <summary>Follows module.a.module.b... from a module; null when the address exists, else what is missing.</summary>
    private static string? MissingTarget(TfWorkspace workspace, TfDir dir, string address)
    {
        var rest = address;
        for (var step = Refs.ModuleStep().Match(rest); step.Success; step = Refs.ModuleStep().Match(rest))
        {
            var name = step.Groups[1].Value;
            var call = dir.ModuleCalls.FirstOrDefault(c => c.Name == name);
            if (call is null || workspace.Resolve(dir, call) is not { } target)
            {
                return $"{dir.RelativePath} has no module call '{name}' with a local source";
            }

            dir = target;
            rest = rest[step.Length..];
        }

        var resource = Refs.TrailingIndex().Replace(rest, "");
        return resource.Length == 0 || dir.Resources.Concat(dir.DataSources).Any(r => r.Address == resource)
            ? null
            : $"{dir.RelativePath} has no {resource}";
    }

    /// <summary>Locals as pseudo-blocks so reference scans see them.</summary>
    private static IEnumerable<TfBlock> LocalsBlocks(TfDir dir) =>
        dir.Locals.Select(l => new TfBlock("local", "local", l.Key, new JsonObject { ["value"] = l.Value?.DeepClone() }, dir.Files[0]));

    [GeneratedRegex(@">=\s*(\d+)\.(\d+)")]
    private static partial Regex MinimumVersion();

    [GeneratedRegex(@"^~>\s*\d+\.\d+$")]
    private static partial Regex MajorPin();
}

using System.Text.RegularExpressions;

namespace Pipelines.Tests.Terraform.Policy;

/// <summary>One policy: an id (the checkov check it mirrors where there is one), a title, and the check.</summary>
internal sealed record PolicyRule(string Id, string Title, Func<PolicyContext, IEnumerable<Violation>> Check)
{
    public override string ToString() => $"{Id} {Title}";
}

/// <summary>Every rule the policy tests run against the repository and against the rule's bad fixture.</summary>
internal static class PolicyRules
{
    public static IReadOnlyList<PolicyRule> All { get; } =
    [
        .. StructureRules.All,
        .. EnvironmentRules.All,
        .. StorageRules.All,
        .. MessagingRules.All,
        .. ComputeRules.All,
        .. IamRules.All,
        .. EventSourceRules.All,
        .. JenkinsfileRules.All,
    ];

    public static PolicyRule Get(string id) => All.Single(r => r.Id == id);
}

/// <summary>Text helpers for expressions.</summary>
internal static partial class Refs
{
    /// <summary>True when any string below the node references the address (aws_s3_bucket.this, module.key, ...).</summary>
    public static bool RefersTo(System.Text.Json.Nodes.JsonNode? node, string address)
    {
        var pattern = new Regex(Regex.Escape(address) + @"(?![\w-])", RegexOptions.CultureInvariant);
        return Infrastructure.Json.AllStrings(node).Any(s => s.Contains("${", StringComparison.Ordinal) && pattern.IsMatch(s));
    }

    [GeneratedRegex(@"(?<![\w.])var\.([A-Za-z_][\w-]*)")]
    public static partial Regex Variable();

    [GeneratedRegex(@"(?<![\w.])module\.([A-Za-z_][\w-]*)(?:\[[^\]]*\])?(?:\.([A-Za-z_][\w-]*))?")]
    public static partial Regex ModuleOutput();

    /// <summary>The leading module.name (or module.name["key"]) step of a resource address.</summary>
    [GeneratedRegex(@"^module\.([A-Za-z_][\w-]*)(?:\[[^\]]*\])?(?:\.|$)")]
    public static partial Regex ModuleStep();

    /// <summary>An instance key at the end of a resource address ([0], ["a"]).</summary>
    [GeneratedRegex(@"\[[^\]]*\]$")]
    public static partial Regex TrailingIndex();
}

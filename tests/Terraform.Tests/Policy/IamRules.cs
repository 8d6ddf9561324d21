using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Pipelines.Tests.Terraform.Infrastructure;

namespace Pipelines.Tests.Terraform.Policy;

/// <summary>One IAM statement as written: in a policy document, or passed to a module (policy_statements, service_principals).</summary>
internal sealed record IamStatement(TfDir Dir, string Location, string Effect, JsonNode? Actions, JsonNode? NotActions, JsonNode? Resources, bool HasPrincipals);

/// <summary>Least privilege: exact actions, no Resource "*" on data actions, no broad managed policies, checkable policies.</summary>
internal static partial class IamRules
{
    // Actions that support no resource-level permissions, so "*" is their only valid resource; none reads or writes data.
    private static readonly HashSet<string> ResourceStarActions = new(StringComparer.Ordinal)
    {
        "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets",
        "xray:GetSamplingStatisticSummaries", "cloudwatch:PutMetricData",
    };

    // Resource types whose policy (or assume-role policy) attribute must come from an aws_iam_policy_document.
    private static readonly Dictionary<string, string> PolicyAttributes = new(StringComparer.Ordinal)
    {
        ["aws_iam_role_policy"] = "policy",
        ["aws_iam_policy"] = "policy",
        ["aws_iam_user_policy"] = "policy",
        ["aws_iam_group_policy"] = "policy",
        ["aws_iam_role"] = "assume_role_policy",
        ["aws_s3_bucket_policy"] = "policy",
        ["aws_sqs_queue_policy"] = "policy",
        ["aws_sns_topic_policy"] = "policy",
        ["aws_kms_key"] = "policy",
    };

    public static IReadOnlyList<PolicyRule> All { get; } =
    [
        new("CKV_AWS_290", "IAM Allow statements name exact actions (no wildcards, no NotAction) in checkable policy documents", ExactActions),
        new("CKV_AWS_355", "no identity policy allows a data action on Resource \"*\"", NoResourceStar),
        new("CKV_AWS_274", "no *FullAccess, AdministratorAccess or PowerUserAccess managed policy", NoBroadManagedPolicies),
    ];

    /// <summary>Every statement in the scope; statements of dynamic blocks filled from variables are checked where the values are passed.</summary>
    public static IEnumerable<IamStatement> Statements(PolicyContext ctx)
    {
        foreach (var dir in ctx.Dirs)
        {
            foreach (var document in dir.DataOfType("aws_iam_policy_document"))
            {
                foreach (var statement in Json.Objects(document.Body["statement"]))
                {
                    yield return FromDocument(dir, document.Location, statement);
                }

                foreach (var dynamicStatement in Json.Objects(Json.Block(document.Body, "dynamic")?["statement"]))
                {
                    var content = Json.Block(dynamicStatement, "content");
                    if (content is not null && !Json.AllStrings(content["actions"]).Any(s => s.Contains(".value.", StringComparison.Ordinal)))
                    {
                        yield return FromDocument(dir, $"{document.Location} (dynamic)", content);
                    }
                }
            }

            foreach (var call in dir.ModuleCalls)
            {
                foreach (var statement in Json.Objects(call.Body["policy_statements"]))
                {
                    var sid = Json.Str(statement["sid"]) ?? "?";
                    yield return new IamStatement(dir, $"{call.Location} policy_statements[{sid}]", "Allow", statement["actions"], null, statement["resources"], HasPrincipals: false);
                }

                foreach (var statement in Json.Objects(call.Body["service_principals"]))
                {
                    var sid = Json.Str(statement["sid"]) ?? "?";
                    yield return new IamStatement(dir, $"{call.Location} service_principals[{sid}]", "Allow", statement["actions"], null, null, HasPrincipals: true);
                }
            }
        }
    }

    private static IamStatement FromDocument(TfDir dir, string location, JsonObject statement) =>
        new(dir, $"{location} statement[{Json.Str(statement["sid"]) ?? "?"}]", Json.Str(statement["effect"]) ?? "Allow",
            statement["actions"], statement["not_actions"], statement["resources"], statement.ContainsKey("principals"));

    /// <summary>The statement's actions when they are literal or a local holding a literal list; null otherwise.</summary>
    private static List<string>? Actions(PolicyContext ctx, IamStatement statement)
    {
        var resolver = new LocalsResolver(statement.Dir, ctx.Topology);
        if (!resolver.TryResolve(statement.Actions, out var value))
        {
            return null;
        }

        var items = value is JsonArray array ? array.Select(Json.Str).ToList() : [Json.Str(value)];
        return items.Any(a => a is null || a.Contains("${", StringComparison.Ordinal)) ? null : items.OfType<string>().ToList();
    }

    private static IEnumerable<Violation> ExactActions(PolicyContext ctx)
    {
        foreach (var statement in Statements(ctx).Where(s => s.Effect == "Allow"))
        {
            if (statement.NotActions is not null)
            {
                yield return new Violation("CKV_AWS_290", statement.Location, "uses not_actions (allows everything else)");
            }

            var actions = Actions(ctx, statement);
            if (actions is null)
            {
                yield return new Violation("CKV_AWS_290", statement.Location, "actions are not a literal list and cannot be checked");
                continue;
            }

            foreach (var action in actions.Where(a => a.Contains('*', StringComparison.Ordinal) || !ExactAction().IsMatch(a)))
            {
                yield return new Violation("CKV_AWS_290", statement.Location, $"allows '{action}' (not one exact service:Action)");
            }
        }

        foreach (var dir in ctx.Dirs)
        {
            foreach (var resource in dir.Resources.Where(r => PolicyAttributes.ContainsKey(r.Type)))
            {
                var attribute = PolicyAttributes[resource.Type];
                if (!resource.Body.ContainsKey(attribute))
                {
                    continue;
                }

                var policy = resource.Body[attribute];
                var fromDocument = StorageRules.PolicyDocument(dir, policy) is not null ||
                    (Json.Str(policy) == "${each.value.json}" && Refs.RefersTo(resource.Body["for_each"], "data.aws_iam_policy_document"));
                if (!fromDocument)
                {
                    yield return new Violation("CKV_AWS_290", resource.Location, $"{attribute} is not an aws_iam_policy_document of this module (cannot be checked)");
                }
            }
        }
    }

    private static IEnumerable<Violation> NoResourceStar(PolicyContext ctx)
    {
        // Resource policies (key, bucket, queue, topic policies) name principals and are about their own resource.
        foreach (var statement in Statements(ctx).Where(s => s.Effect == "Allow" && !s.HasPrincipals))
        {
            var resources = Json.Strings(statement.Resources);
            if (!resources.Contains("*"))
            {
                continue;
            }

            var actions = Actions(ctx, statement) ?? [];
            foreach (var action in actions.Where(a => !ResourceStarActions.Contains(a)))
            {
                yield return new Violation("CKV_AWS_355", statement.Location, $"allows '{action}' on Resource \"*\"");
            }
        }
    }

    private static IEnumerable<Violation> NoBroadManagedPolicies(PolicyContext ctx)
    {
        foreach (var block in ctx.Dirs.SelectMany(d => d.AllBlocks))
        {
            foreach (var match in Json.AllStrings(block.Body).SelectMany(s => BroadManagedPolicy().Matches(s)))
            {
                yield return new Violation("CKV_AWS_274", block.Location, $"uses the AWS managed policy {match.Value}");
            }
        }
    }

    [GeneratedRegex(@"^[a-z0-9-]+:[A-Za-z0-9]+$")]
    private static partial Regex ExactAction();

    [GeneratedRegex(@"arn:[^:""]*:iam::aws:policy/(?:[\w+=,.@/-]*FullAccess\w*|AdministratorAccess|PowerUserAccess)")]
    private static partial Regex BroadManagedPolicy();
}

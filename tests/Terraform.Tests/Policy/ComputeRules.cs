using Pipelines.Tests.Terraform.Infrastructure;

namespace Pipelines.Tests.Terraform.Policy;

/// <summary>Lambda functions trace, and every log group expires (a year or more in prod).</summary>
internal static class ComputeRules
{
    public static IReadOnlyList<PolicyRule> All { get; } =
    [
        new("CKV_AWS_50", "Lambda functions have X-Ray tracing Active", LambdaTracing),
        new("CKV_AWS_338", "log groups have retention (>= 1 year in prod) and every function has a managed log group", LogRetention),
    ];

    private static IEnumerable<Violation> LambdaTracing(PolicyContext ctx) =>
        ctx.Dirs.SelectMany(d => d.ResourcesOfType("aws_lambda_function"))
            .Where(f => Json.Str(Json.Block(f.Body, "tracing_config")?["mode"]) != "Active")
            .Select(f => new Violation("CKV_AWS_50", f.Location, "tracing_config mode is not Active"));

    private static IEnumerable<Violation> LogRetention(PolicyContext ctx)
    {
        foreach (var dir in ctx.Dirs)
        {
            foreach (var group in dir.ResourcesOfType("aws_cloudwatch_log_group"))
            {
                var retention = group.Body["retention_in_days"];
                if (retention is null || Json.Number(retention) is 0)
                {
                    yield return new Violation("CKV_AWS_338", group.Location, "has no retention_in_days (logs would be kept forever)");
                }
            }

            // Without its own log group Lambda creates /aws/lambda/<name> itself, with no retention.
            foreach (var function in dir.ResourcesOfType("aws_lambda_function"))
            {
                var managed = dir.ResourcesOfType("aws_cloudwatch_log_group")
                    .Any(g => Json.Str(g.Body["name"])?.Contains("/aws/lambda/", StringComparison.Ordinal) == true);
                if (!managed)
                {
                    yield return new Violation("CKV_AWS_338", function.Location, "has no /aws/lambda/<name> log group managed next to it");
                }
            }
        }

        // CKV_AWS_338 asks for a year of retention: prod keeps at least 365 days.
        foreach (var envPath in ctx.EnvironmentDirs.Where(p => Path.GetFileName(p) == "prod"))
        {
            if (!ctx.Workspace.Dirs.TryGetValue(envPath, out var env))
            {
                continue;
            }

            var days = Json.Number(env.TfVars.GetValueOrDefault("log_retention_days")) ?? Json.Number(ctx.Topology?["shared"]?["log_retention_days"]);
            if (days is null or < 365)
            {
                yield return new Violation("CKV_AWS_338", $"{RepoPaths.Relative(envPath)}/terraform.tfvars", $"prod log_retention_days is {days?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unset"}, below 365");
            }
        }
    }
}

using System.Text.RegularExpressions;
using Pipelines.Tests.Terraform.Infrastructure;

namespace Pipelines.Tests.Terraform.Policy;

/// <summary>The Jenkinsfile calls only scripts that exist, offers exactly the environments that exist, and keeps secrets out.</summary>
internal static partial class JenkinsfileRules
{
    private static readonly string[] Actions = ["plan", "apply", "destroy"];

    private static readonly (string What, Regex Pattern)[] RequiredParts =
    [
        ("options timestamps()", new Regex(@"\btimestamps\(\)")),
        ("options timeout(...)", new Regex(@"\btimeout\(time:")),
        ("options disableConcurrentBuilds()", new Regex(@"\bdisableConcurrentBuilds\(")),
        ("options buildDiscarder(...)", new Regex(@"\bbuildDiscarder\(")),
        ("an input approval step", new Regex(@"\binput\s+message:")),
        ("published test results", new Regex(@"\b(nunit|junit|mstest|xunit)\b")),
        ("archived packages", new Regex(@"archiveArtifacts\s+artifacts:\s*'artifacts/\*\.zip'")),
        ("a saved plan applied with --saved", new Regex(@"--saved")),
        ("an e-mail in post", new Regex(@"\b(emailext|mail)\s*\(")),
        ("cleanWs() in post", new Regex(@"\bcleanWs\(\)")),
    ];

    public static IReadOnlyList<PolicyRule> All { get; } =
    [
        new("JENKINS_SCRIPTS_EXIST", "the Jenkinsfile calls only scripts that exist", ScriptsExist),
        new("JENKINS_ENVIRONMENTS", "the Jenkinsfile offers exactly the environments that exist and plan/apply/destroy", Environments),
        new("JENKINS_PIPELINE", "the Jenkinsfile has the required options, approval, results, e-mail and cleanup, and no credentials", Pipeline),
    ];

    private static IEnumerable<Violation> ScriptsExist(PolicyContext ctx)
    {
        if (ctx.Jenkinsfile is null)
        {
            yield return new Violation("JENKINS_SCRIPTS_EXIST", "Jenkinsfile", "is missing");
            yield break;
        }

        var scripts = ScriptCall().Matches(ctx.Jenkinsfile).Select(m => m.Groups[1].Value).Distinct(StringComparer.Ordinal).ToList();
        if (scripts.Count == 0)
        {
            yield return new Violation("JENKINS_SCRIPTS_EXIST", "Jenkinsfile", "calls no scripts/ at all");
        }

        foreach (var script in scripts.Where(s => !File.Exists(Path.Combine(RepoPaths.Root, s))))
        {
            yield return new Violation("JENKINS_SCRIPTS_EXIST", "Jenkinsfile", $"calls {script}, which does not exist");
        }
    }

    private static IEnumerable<Violation> Environments(PolicyContext ctx)
    {
        if (ctx.Jenkinsfile is null)
        {
            yield return new Violation("JENKINS_ENVIRONMENTS", "Jenkinsfile", "is missing");
            yield break;
        }

        var existing = Directory.EnumerateDirectories(RepoPaths.Environments).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
        var offered = Choices(ctx.Jenkinsfile, "ENVIRONMENT");
        if (!offered.Order(StringComparer.Ordinal).SequenceEqual(existing))
        {
            yield return new Violation("JENKINS_ENVIRONMENTS", "Jenkinsfile",
                $"ENVIRONMENT offers [{string.Join(", ", offered)}] but terraform/environments has [{string.Join(", ", existing)}]");
        }

        var actions = Choices(ctx.Jenkinsfile, "ACTION");
        if (!actions.SequenceEqual(Actions))
        {
            yield return new Violation("JENKINS_ENVIRONMENTS", "Jenkinsfile", $"ACTION offers [{string.Join(", ", actions)}], not [plan, apply, destroy]");
        }
    }

    private static IEnumerable<Violation> Pipeline(PolicyContext ctx)
    {
        if (ctx.Jenkinsfile is null)
        {
            yield return new Violation("JENKINS_PIPELINE", "Jenkinsfile", "is missing");
            yield break;
        }

        foreach (var (what, _) in RequiredParts.Where(p => !p.Pattern.IsMatch(ctx.Jenkinsfile)))
        {
            yield return new Violation("JENKINS_PIPELINE", "Jenkinsfile", $"lacks {what}");
        }

        foreach (Match secret in Secret().Matches(ctx.Jenkinsfile))
        {
            yield return new Violation("JENKINS_PIPELINE", "Jenkinsfile", $"contains what looks like a credential: '{secret.Value}'");
        }
    }

    private static List<string> Choices(string jenkinsfile, string parameter)
    {
        var match = new Regex($@"choice\(\s*name:\s*'{parameter}'\s*,\s*choices:\s*\[([^\]]*)\]").Match(jenkinsfile);
        return match.Success
            ? QuotedWord().Matches(match.Groups[1].Value).Select(m => m.Groups[1].Value).ToList()
            : [];
    }

    [GeneratedRegex(@"(?<![\w/.-])(?:\./)?(scripts/[A-Za-z0-9_.-]+)")]
    private static partial Regex ScriptCall();

    [GeneratedRegex(@"'([^']*)'")]
    private static partial Regex QuotedWord();

    // Access key ids, or a secret key / password assigned a literal.
    [GeneratedRegex(@"\b(?:AKIA|ASIA)[A-Z0-9]{16}\b|(?i:aws_secret_access_key|secret_key|password)\s*[=:]\s*['""][^'""]+['""]")]
    private static partial Regex Secret();
}

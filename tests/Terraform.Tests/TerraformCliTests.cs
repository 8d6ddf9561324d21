using FluentAssertions;
using NUnit.Framework;
using Pipelines.Tests.Terraform.Infrastructure;
using Pipelines.Tests.Terraform.Policy;

namespace Pipelines.Tests.Terraform;

/// <summary>
/// Where a terraform binary and a local AWS provider mirror exist (not on every CI machine: PLATFORM.md), the real
/// tool checks what the policy tests approximate: fmt, and init + validate + a full plan against a mocked provider
/// (terraform test) of prod, the environment that switches the most on (replication, deletion protection, alarm
/// mail, reserved concurrency); that evaluates every expression, for_each, validation and precondition. The three
/// environments are the same thin call of terraform/suite and differ only in terraform.tfvars; Jenkins plans each
/// for real.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed class TerraformCliTests
{
    private string? scratch;

    [OneTimeTearDown]
    public void RemoveScratchCopy()
    {
        if (scratch is not null && Directory.Exists(scratch))
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    [Test]
    public void Terraform_fmt_check_passes()
    {
        RequireTerraform();

        var (exitCode, output) = TerraformCli.Run(RepoPaths.Root, new Dictionary<string, string>(), "fmt", "-check", "-recursive", "-diff", "terraform");

        exitCode.Should().Be(0, "terraform fmt must find nothing to change:\n{0}", output);
    }

    [Test]
    public void Prod_validates_and_plans_against_a_mocked_provider()
    {
        const string environment = "prod";
        RequireTerraform();
        if (TerraformCli.ProviderMirror is null)
        {
            Assert.Ignore("no local hashicorp/aws provider mirror (set TF_PLUGIN_MIRROR): validate and plan run in Jenkins instead");
        }

        scratch = TerraformCli.PrepareScratchCopy(PolicyContext.Repository.TopologyFunctions().Select(f => f.Function));
        var dir = Path.Combine(scratch, "terraform", "environments", environment);
        var env = new Dictionary<string, string>
        {
            ["TF_CLI_CONFIG_FILE"] = Path.Combine(scratch, "terraformrc"),
            ["TF_DATA_DIR"] = Path.Combine(scratch, $".terraform-{environment}"),
            ["TF_PLUGIN_CACHE_DIR"] = Path.Combine(scratch, "plugin-cache"),
        };
        Directory.CreateDirectory(env["TF_PLUGIN_CACHE_DIR"]);

        var init = TerraformCli.Run(dir, env, "init", "-backend=false", "-no-color");
        init.ExitCode.Should().Be(0, "terraform init must succeed:\n{0}", init.Output);

        // terraform test validates the configuration, then plans it with terraform.tfvars and the mocked provider.
        var plan = TerraformCli.Run(dir, env, "test", "-no-color");
        plan.ExitCode.Should().Be(0, "the mocked plan of {0} must succeed:\n{1}", environment, plan.Output);
        plan.Output.Should().Contain("1 passed, 0 failed");
    }

    private static void RequireTerraform()
    {
        if (TerraformCli.Binary is null)
        {
            Assert.Ignore("terraform is not installed here (PLATFORM.md); the Jenkins agents run fmt/validate/plan");
        }
    }
}

using FluentAssertions;
using NUnit.Framework;
using Pipelines.Tests.Terraform.Policy;

namespace Pipelines.Tests.Terraform;

/// <summary>
/// Every policy rule (named by the checkov check it mirrors, where one exists) must hold for the repository's
/// terraform/, topology and Jenkinsfile, and must fail on its small bad fixture (Fixtures/bad/&lt;rule id&gt;/), which
/// shows the rule can fail at all.
/// </summary>
[TestFixture]
public sealed class PolicyTests
{
    private static IEnumerable<TestCaseData> Rules() =>
        PolicyRules.All.Select(r => new TestCaseData(r.Id).SetName($"{r.Id} {r.Title}"));

    private static IEnumerable<TestCaseData> RulesOnBadFixtures() =>
        PolicyRules.All.Select(r => new TestCaseData(r.Id).SetName($"{r.Id} fails on its bad fixture"));

    [TestCaseSource(nameof(Rules))]
    public void Repository_follows(string ruleId)
    {
        var violations = PolicyRules.Get(ruleId).Check(PolicyContext.Repository).ToList();

        violations.Should().BeEmpty("the repository must follow {0}; found:\n{1}", ruleId, string.Join("\n", violations));
    }

    [TestCaseSource(nameof(RulesOnBadFixtures))]
    public void Bad_fixture_is_caught(string ruleId)
    {
        Directory.Exists(PolicyContext.FixtureDir(ruleId)).Should().BeTrue("every rule needs a bad fixture in Fixtures/bad/{0}/", ruleId);

        var violations = PolicyRules.Get(ruleId).Check(PolicyContext.Fixture(ruleId)).ToList();

        foreach (var violation in violations)
        {
            TestContext.Out.WriteLine(violation);
        }

        violations.Should().NotBeEmpty("Fixtures/bad/{0} breaks the rule on purpose", ruleId);
        violations.Should().OnlyContain(v => v.Rule == ruleId);
    }

    [Test]
    public void Every_bad_fixture_belongs_to_a_rule()
    {
        var fixtures = Directory.EnumerateDirectories(Infrastructure.RepoPaths.BadFixtures).Select(Path.GetFileName);

        fixtures.Should().BeSubsetOf(PolicyRules.All.Select(r => r.Id));
    }
}

using FluentAssertions;
using NUnit.Framework;
using Pipelines.Shared.Configuration;

namespace Pipelines.Tests.Shared.Configuration;

[TestFixture]
[NonParallelizable]
public sealed class EnvironmentSettingsTests
{
    private const string Name = "PIPELINES_TEST_ENV_SETTING";

    [TearDown]
    public void Clear() => Environment.SetEnvironmentVariable(Name, null);

    [Test]
    public void Require_returns_the_trimmed_value()
    {
        Environment.SetEnvironmentVariable(Name, "  amazon-reviews-raw ");

        EnvironmentSettings.Require(Name).Should().Be("amazon-reviews-raw");
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("   ")]
    public void A_missing_or_blank_required_variable_fails_naming_it(string? value)
    {
        Environment.SetEnvironmentVariable(Name, value);

        var error = FluentActions.Invoking(() => EnvironmentSettings.Require(Name)).Should().Throw<ConfigurationException>().Which;

        error.SettingName.Should().Be(Name);
        error.Message.Should().Contain($"'{Name}'").And.Contain("not set");
    }

    [Test]
    public void Optional_falls_back_to_the_default()
    {
        EnvironmentSettings.Optional(Name, "fallback").Should().Be("fallback");
        EnvironmentSettings.Optional(Name).Should().BeNull();
        Environment.SetEnvironmentVariable(Name, "set");
        EnvironmentSettings.Optional(Name, "fallback").Should().Be("set");
    }

    [Test]
    public void Integers_are_parsed_and_garbage_is_reported()
    {
        EnvironmentSettings.OptionalInt(Name, 7).Should().Be(7);
        Environment.SetEnvironmentVariable(Name, "42");
        EnvironmentSettings.RequireInt(Name).Should().Be(42);
        Environment.SetEnvironmentVariable(Name, "forty-two");

        FluentActions.Invoking(() => EnvironmentSettings.OptionalInt(Name, 7)).Should().Throw<ConfigurationException>()
            .Which.Message.Should().Contain(Name).And.Contain("forty-two");
    }
}

using System.Globalization;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.LocalCloud.Emulators;

namespace Pipelines.Tests.LocalCloud;

/// <summary>The local SSM endpoint through the project's own SSM client: path rules, recursion and paging.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class SsmEndpointTests
{
    [Test]
    public async Task GetParametersByPathFollowsAwsPathRulesAndPages(CancellationToken ct)
    {
        await using var cloud = await EmulatorFixture.StartAsync(EmulatorService.Ssm);
        var store = cloud.Emulators.Parameters!;
        for (var i = 0; i < 12; i++) store.Put($"/pipelines/local/fn/key{i:D2}", i.ToString(CultureInfo.InvariantCulture));
        store.Put("/pipelines/local/fn/nested/deep", "x");
        store.Put("/pipelines/local/other/key", "y");

        var flat = await cloud.Clients.Ssm.GetParametersByPathAsync("/pipelines/local/fn/", recursive: false, cancellationToken: ct);
        flat.Select(p => p.Name).Should().HaveCount(12, "one level below the path, across two pages of at most 10")
            .And.NotContain("/pipelines/local/fn/nested/deep");
        flat.Single(p => p.Name == "/pipelines/local/fn/key07").Value.Should().Be("7");

        var deep = await cloud.Clients.Ssm.GetParametersByPathAsync("/pipelines/local/fn", recursive: true, cancellationToken: ct);
        deep.Select(p => p.Name).Should().HaveCount(13).And.Contain("/pipelines/local/fn/nested/deep").And.NotContain("/pipelines/local/other/key");

        (await cloud.Clients.Ssm.GetParametersByPathAsync("/pipelines/local/missing/", cancellationToken: ct)).Should().BeEmpty();
    }
}

using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Shared.Aws;
using Pipelines.Shared.Configuration;
using Pipelines.Tests.Shared.Aws;

namespace Pipelines.Tests.Shared.Configuration;

[TestFixture]
public sealed class TunablesTests
{
    private const string Prefix = "/pipelines/local/event-archiver/";

    private static string Page(params (string Key, string Value)[] parameters) =>
        JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["Parameters"] = parameters.Select(p => new Dictionary<string, object>
            {
                ["Name"] = Prefix + p.Key, ["Type"] = "String", ["Value"] = p.Value, ["Version"] = 1,
            }).ToList(),
        });

    private static TunablesOptions Options(LoopbackAwsServer server, ManualClock clock, int maxAttempts = 1) => new()
    {
        Prefix = Prefix,
        Client = new SsmClient(TestAws.Options(AwsService.Ssm, server.Endpoint, maxAttempts: maxAttempts)),
        Ttl = TimeSpan.FromMinutes(5),
        Clock = clock,
    };

    [Test]
    public async Task Values_are_read_from_ssm_under_the_prefix_and_typed_on_access()
    {
        await using var server = new LoopbackAwsServer();
        server.Enqueue(ScriptedResponse.Json(Page(("batch_size", "250"), ("ratio", "0.75"), ("mode", "strict"), ("nested/flag", "true"))));

        var tunables = await Tunables.LoadAsync(Options(server, new ManualClock()));

        tunables.UsesSsm.Should().BeTrue();
        tunables.GetInt("batch_size", 100).Should().Be(250);
        tunables.GetDouble("ratio", 0.5).Should().Be(0.75);
        tunables.GetString("mode", "lenient").Should().Be("strict");
        tunables.GetBool("nested/flag", false).Should().BeTrue();
        tunables.GetInt("absent", 9).Should().Be(9);
        var body = JsonDocument.Parse(server.Requests.Single().Body).RootElement;
        body.GetProperty("Path").GetString().Should().Be("/pipelines/local/event-archiver");
        body.GetProperty("Recursive").GetBoolean().Should().BeTrue();
        body.GetProperty("WithDecryption").GetBoolean().Should().BeTrue();
    }

    [Test]
    public async Task Values_are_cached_until_the_ttl_passes_then_reloaded()
    {
        await using var server = new LoopbackAwsServer();
        server.Enqueue(ScriptedResponse.Json(Page(("batch_size", "250"))), ScriptedResponse.Json(Page(("batch_size", "500"))));
        var clock = new ManualClock();
        var tunables = await Tunables.LoadAsync(Options(server, clock));

        clock.Advance(TimeSpan.FromMinutes(4));
        await tunables.RefreshIfStaleAsync();
        tunables.GetInt("batch_size", 0).Should().Be(250);
        server.Requests.Should().HaveCount(1, "values are served from the cache within the TTL");

        clock.Advance(TimeSpan.FromMinutes(2));
        await tunables.RefreshIfStaleAsync();
        tunables.GetInt("batch_size", 0).Should().Be(500);
        server.Requests.Should().HaveCount(2);
        tunables.LoadedAt.Should().Be(clock.GetUtcNow());
    }

    [Test]
    public async Task A_failed_refresh_keeps_the_previous_values_and_tries_again_later()
    {
        await using var server = new LoopbackAwsServer();
        server.Enqueue(
            ScriptedResponse.Json(Page(("batch_size", "250"))),
            ScriptedResponse.Error(400, """{"__type":"AccessDeniedException","message":"not allowed"}"""),
            ScriptedResponse.Json(Page(("batch_size", "300"))));
        var clock = new ManualClock();
        var tunables = await Tunables.LoadAsync(Options(server, clock));

        clock.Advance(TimeSpan.FromMinutes(6));
        await tunables.RefreshIfStaleAsync();
        tunables.GetInt("batch_size", 0).Should().Be(250);

        await tunables.RefreshIfStaleAsync();
        server.Requests.Should().HaveCount(2, "a failed refresh is not repeated on every call");

        clock.Advance(TimeSpan.FromSeconds(31));
        await tunables.RefreshIfStaleAsync();
        tunables.GetInt("batch_size", 0).Should().Be(300);
    }

    [Test]
    public async Task An_ssm_failure_at_init_fails_with_the_prefix_named()
    {
        await using var server = new LoopbackAwsServer(_ => ScriptedResponse.Error(400, """{"__type":"AccessDeniedException","message":"User is not authorized to perform: ssm:GetParametersByPath"}"""));

        var error = (await FluentActions.Awaiting(() => Tunables.LoadAsync(Options(server, new ManualClock())))
            .Should().ThrowAsync<ConfigurationException>()).Which;

        error.SettingName.Should().Be("SSM_PARAMETER_PREFIX");
        error.Message.Should().Contain(Prefix).And.Contain("AccessDeniedException").And.Contain("ssm:GetParametersByPath");
        error.InnerException.Should().BeOfType<AwsServiceException>();
    }

    [Test]
    public async Task Without_a_prefix_every_getter_returns_its_default_and_nothing_is_called()
    {
        var tunables = await Tunables.LoadAsync(new TunablesOptions { Prefix = null });

        tunables.UsesSsm.Should().BeFalse();
        tunables.IsStale.Should().BeFalse();
        await tunables.RefreshIfStaleAsync();
        tunables.GetInt("batch_size", 100).Should().Be(100);
        tunables.GetString("mode", "lenient").Should().Be("lenient");
    }

    [Test]
    public void A_malformed_value_fails_naming_the_parameter()
    {
        var tunables = Tunables.FromValues(new Dictionary<string, string> { ["batch_size"] = "lots" });

        FluentActions.Invoking(() => tunables.GetInt("batch_size", 1)).Should().Throw<ConfigurationException>()
            .Which.Message.Should().Contain("batch_size").And.Contain("lots").And.Contain("integer");
    }

    private sealed class ManualClock : TimeProvider
    {
        private DateTimeOffset now = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => now;

        public void Advance(TimeSpan by) => now += by;
    }
}

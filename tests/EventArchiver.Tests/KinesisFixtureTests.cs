using System.Text;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Tests.EventArchiver.Support;

namespace Pipelines.Tests.EventArchiver;

/// <summary>A Kinesis event in the exact shape Lambda delivers (Fixtures/kinesis-event.json).</summary>
public class KinesisFixtureTests
{
    [Test]
    public async Task Archives_the_fixture_into_partitioned_newline_delimited_json()
    {
        var evt = Fixtures.KinesisEvent("kinesis-event.json");
        var harness = new ArchiverHarness();

        var result = await harness.InvokeAsync(evt);

        result.Succeeded.Should().BeTrue();
        result.Result!.Received.Should().Be(5);
        result.Result.EventsWritten.Should().Be(3);
        result.Result.DuplicatesWritten.Should().Be(1, "record 3 re-sends record 1's uuid in upper case");
        result.Result.Rejected.Should().Be(1);
        result.Result.RejectedByReason.Should().Equal(new Dictionary<string, int> { ["not_json"] = 1 });
        result.Result.MaxProcessingLatency.Should().BeGreaterThan(TimeSpan.Zero);

        var objects = harness.Archive.Objects;
        objects.Keys.Select(k => k[..k.LastIndexOf('/')]).Should().BeEquivalentTo(
            "events/event_type=lesson/created_date=2024-03-01",
            "events/event_type=payment/created_date=2024-03-02",
            "events/event_type=account/created_date=2024-03-01",
            "duplicated/event_type=lesson/created_date=2024-03-01");
        objects.Keys.Should().AllSatisfy(k => k.Should().Contain("/shardId-000000000006-4959033827149025660855969253836157109592157598913658"));
        var payment = Encoding.UTF8.GetString(objects.Single(o => o.Key.Contains("payment", StringComparison.Ordinal)).Value);
        payment.Should().Be(
            """{"event_uuid":"a81f4c2d-6e3b-4f9a-b2c7-d5e8f1a3b6c9","event_name":"payment:refund:requested","created_at":1709380799.75,"user_id":"u-2210","amount":{"value":12.99,"currency":"EUR"},"reasons":["duplicate_charge"],"created_datetime":"2024-03-02T11:59:59.750Z","event_type":"payment","event_subtype":"refund:requested"}""" + "\n");
        var account = Encoding.UTF8.GetString(objects.Single(o => o.Key.Contains("account", StringComparison.Ordinal)).Value);
        account.Should().Contain("\"referrer\":\"Café Olé\"");
        var duplicate = Encoding.UTF8.GetString(objects.Single(o => o.Key.StartsWith("duplicated/", StringComparison.Ordinal)).Value);
        duplicate.Should().Contain("\"retry\":true");

        var reject = harness.Rejects.All.Single();
        reject.Id.ToString().Should().Be(evt.Records[4].EventId);
        reject.DataBase64.Should().Be(evt.Records[4].Kinesis.Data);
    }
}

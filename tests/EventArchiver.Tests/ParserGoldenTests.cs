using System.Text;
using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Events.Domain;
using Pipelines.Tests.EventArchiver.Support;

namespace Pipelines.Tests.EventArchiver;

/// <summary>
/// Fixtures/parser-golden.jsonl holds payloads (hand-written edge cases and random mutations of valid and broken
/// events: truncations, flipped and inserted bytes) with the answers the earlier JsonDocument-based parser gave:
/// the archived line for a valid event, the reason code and detail for a reject. The one-pass parser must give the
/// same answer, byte for byte, for every one of them, with one deliberate change: a payload that ends before its
/// object or array is closed is found without the reader's exception (which cost more than ten valid events), so its
/// detail says where it ends ("payload ends at byte N, before its JSON object is closed") instead of the reader's text.
/// </summary>
public class ParserGoldenTests
{
    [Test]
    public void Answers_every_recorded_payload_as_the_JsonDocument_parser_did()
    {
        var lines = File.ReadAllLines(Fixtures.Path("parser-golden.jsonl"));
        lines.Should().HaveCountGreaterThan(300);

        foreach (var line in lines)
        {
            using var expected = JsonDocument.Parse(line);
            var root = expected.RootElement;
            var payload = Convert.FromBase64String(root.GetProperty("data").GetString()!);
            var because = Encoding.UTF8.GetString(payload);

            var result = EventParser.Parse(payload);

            if (root.TryGetProperty("reason", out var reason))
            {
                result.Reason.Should().NotBeNull(because);
                result.Reason!.Code.Should().Be(reason.GetString(), because);
                result.Reason.Detail.Should().Be(root.GetProperty("detail").GetString(), because);
            }
            else
            {
                result.Reason.Should().BeNull(because);
                result.Event!.UuidKey.Should().Be(root.GetProperty("uuid").GetString(), because);
                result.Event.EventType.Should().Be(root.GetProperty("type").GetString(), because);
                result.Event.EventSubtype.Should().Be(root.GetProperty("subtype").GetString(), because);
                Encoding.UTF8.GetString(result.Event.Line.Span).Should().Be(root.GetProperty("line").GetString(), because);
            }
        }
    }
}

using System.Text;
using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Events.Domain;

namespace Pipelines.Tests.EventArchiver;

public class EventParserTests
{
    private const string Uuid = "3f2b8c1e-9d4a-4e6b-8f1c-2a7d5e9b0c14";

    private static ParsedEvent Valid(string json)
    {
        var result = EventParser.Parse(Encoding.UTF8.GetBytes(json));
        result.Reason.Should().BeNull();
        return result.Event!;
    }

    private static JsonElement Line(ParsedEvent parsed) => JsonDocument.Parse(parsed.Line).RootElement.Clone();

    [Test]
    public void Splits_event_name_at_the_first_colon_so_the_subtype_keeps_its_own_colons()
    {
        var parsed = Valid($$"""{"event_uuid":"{{Uuid}}","event_name":"payment:refund:requested","created_at":1709294400}""");

        parsed.EventType.Should().Be("payment");
        parsed.EventSubtype.Should().Be("refund:requested");
        Line(parsed).GetProperty("event_type").GetString().Should().Be("payment");
        Line(parsed).GetProperty("event_subtype").GetString().Should().Be("refund:requested");
    }

    [TestCase("1709294400", "2024-03-01T12:00:00.000Z", "2024-03-01")]
    [TestCase("1709294400.25", "2024-03-01T12:00:00.250Z", "2024-03-01")]
    [TestCase("1709337599.9999", "2024-03-01T23:59:59.999Z", "2024-03-01")]
    [TestCase("1709337600", "2024-03-02T00:00:00.000Z", "2024-03-02")]
    [TestCase("1.7092944E9", "2024-03-01T12:00:00.000Z", "2024-03-01")]
    [TestCase("0", "1970-01-01T00:00:00.000Z", "1970-01-01")]
    public void Adds_created_datetime_in_UTC_and_partitions_by_its_UTC_date(string createdAt, string iso, string date)
    {
        var parsed = Valid($$"""{"event_uuid":"{{Uuid}}","event_name":"lesson:started","created_at":{{createdAt}}}""");

        Line(parsed).GetProperty("created_datetime").GetString().Should().Be(iso);
        parsed.CreatedDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture).Should().Be(date);
    }

    [Test]
    public void Keeps_every_other_field_in_order_with_its_exact_value_then_appends_the_derived_ones()
    {
        var input = $$$"""{"event_uuid":"{{{Uuid}}}","user_id":"u-1","event_name":"lesson:started","created_at":1709294400,"big":12345678901234567890123,"ratio":1.50,"tags":["a","b"],"meta":{"nested":{"ok":true}},"note":null,"text":"Café Olé 日本"}""";

        var line = Encoding.UTF8.GetString(Valid(input).Line.Span);

        line.Should().Be($$$"""{"event_uuid":"{{{Uuid}}}","user_id":"u-1","event_name":"lesson:started","created_at":1709294400,"big":12345678901234567890123,"ratio":1.50,"tags":["a","b"],"meta":{"nested":{"ok":true}},"note":null,"text":"Café Olé 日本","created_datetime":"2024-03-01T12:00:00.000Z","event_type":"lesson","event_subtype":"started"}""");
    }

    [Test]
    public void Replaces_derived_fields_the_producer_already_sent_instead_of_repeating_them()
    {
        var parsed = Valid($$"""{"event_type":"spoofed","event_uuid":"{{Uuid}}","event_name":"lesson:started","created_at":1709294400,"event_subtype":"x","created_datetime":"yesterday"}""");

        var text = Encoding.UTF8.GetString(parsed.Line.Span);
        text.Should().Be($$"""{"event_uuid":"{{Uuid}}","event_name":"lesson:started","created_at":1709294400,"created_datetime":"2024-03-01T12:00:00.000Z","event_type":"lesson","event_subtype":"started"}""");
    }

    [Test]
    public void Deduplicates_on_the_canonical_uuid_but_archives_it_as_sent()
    {
        var parsed = Valid("""{"event_uuid":"3F2B8C1E-9D4A-4E6B-8F1C-2A7D5E9B0C14","event_name":"a:b","created_at":1}""");

        parsed.UuidKey.Should().Be(Uuid);
        Line(parsed).GetProperty("event_uuid").GetString().Should().Be("3F2B8C1E-9D4A-4E6B-8F1C-2A7D5E9B0C14");
    }

    [Test]
    public void The_same_payload_always_produces_the_same_bytes()
    {
        var bytes = Encoding.UTF8.GetBytes($$"""{"event_uuid":"{{Uuid}}","event_name":"a:b:c","created_at":1709294400.5,"x":[1,{"y":"z"}]}""");

        EventParser.Parse(bytes).Event!.Line.ToArray().Should().Equal(EventParser.Parse(bytes).Event!.Line.ToArray());
    }

    [Test]
    public void Accepts_a_UTF8_byte_order_mark()
    {
        var bytes = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes($$"""{"event_uuid":"{{Uuid}}","event_name":"a:b","created_at":1}""")).ToArray();

        EventParser.Parse(bytes).IsValid.Should().BeTrue();
    }

    [Test]
    public void Rejects_a_payload_over_the_size_limit_without_parsing_it()
    {
        var padding = new string('x', EventParser.MaxEventBytes);
        var bytes = Encoding.UTF8.GetBytes($$"""{"event_uuid":"{{Uuid}}","event_name":"a:b","created_at":1,"pad":"{{padding}}"}""");

        EventParser.Parse(bytes).Reason!.Code.Should().Be(RejectReason.Oversize);
    }

    [TestCase("lesson", "lesson")]
    [TestCase("web/app", "web%2Fapp")]
    [TestCase("a=b", "a%3Db")]
    [TestCase("50%", "50%25")]
    [TestCase("café", "café")]
    public void Escapes_the_event_type_in_the_partition_path_like_Hive(string type, string segment)
    {
        new ArchivePartition(ArchiveKind.Events, type, new DateOnly(2024, 3, 1)).Prefix
            .Should().Be($"events/event_type={segment}/created_date=2024-03-01/");
        new ArchivePartition(ArchiveKind.Duplicated, type, new DateOnly(2024, 3, 1)).Prefix
            .Should().Be($"duplicated/event_type={segment}/created_date=2024-03-01/");
    }
}

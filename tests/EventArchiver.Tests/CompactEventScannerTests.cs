using System.Text;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Events.Domain;
using Pipelines.Tests.EventArchiver.Support;

namespace Pipelines.Tests.EventArchiver;

/// <summary>
/// Named edges of the compact scanner: what it must read (exactly as the reader does) and what it must leave to the
/// reader. Every case also checks that Parse answers as the reader-only path does.
/// </summary>
public class CompactEventScannerTests
{
    private const string Uuid = "3f2b8c1e-9d4a-4e6b-8f1c-2a7d5e9b0c14";

    private static string Event(string createdAt = "1709294400", string rest = "") =>
        $$"""{"event_uuid":"{{Uuid}}","event_name":"lesson:started","created_at":{{createdAt}}{{rest}}}""";

    private static bool Handled(string json) => ScannerAgreement.Check(Encoding.UTF8.GetBytes(json));

    [TestCase("0")]
    [TestCase("-0")]
    [TestCase("-0.0")]
    [TestCase("1e5")]
    [TestCase("1E+5")]
    [TestCase("1.5E-3")]
    [TestCase("1709294400.25")]
    [TestCase("1709294400.250")]
    [TestCase("1.7092944E9")]
    [TestCase("123456789012345678")]
    [TestCase("1234567890123456789")]
    public void Reads_numbers_of_the_JSON_grammar_with_the_readers_exact_decimal(string createdAt)
    {
        Handled(Event(createdAt)).Should().BeTrue();
    }

    [TestCase("01")]
    [TestCase("-01")]
    [TestCase("00")]
    [TestCase("1.")]
    [TestCase(".5")]
    [TestCase("-")]
    [TestCase("+1")]
    [TestCase("1e")]
    [TestCase("1e+")]
    [TestCase("1.e5")]
    [TestCase("0x10")]
    [TestCase("NaN")]
    [TestCase("Infinity")]
    public void Leaves_numbers_outside_the_grammar_to_the_reader(string createdAt)
    {
        Handled(Event(createdAt)).Should().BeFalse();
        EventParser.Parse(Encoding.UTF8.GetBytes(Event(createdAt))).Reason!.Code.Should().Be(RejectReason.NotJson);
    }

    [TestCase("99999999999999999999999999999999", "invalid_created_at")] // beyond decimal: no decimal, beyond 9999
    [TestCase("1e400", "invalid_created_at")]
    [TestCase("253402300800", "invalid_created_at")]
    [TestCase("-5", "invalid_created_at")]
    [TestCase("-0.5", "invalid_created_at")]
    [TestCase("1709294400.999999", null)]
    [TestCase("\"1709294400\"", "wrong_type")]
    [TestCase("null", "missing_field")]
    [TestCase("true", "wrong_type")]
    [TestCase("{}", "wrong_type")]
    [TestCase("[1]", "wrong_type")]
    public void Reads_created_at_values_the_checks_then_judge(string createdAt, string? reason)
    {
        Handled(Event(createdAt)).Should().BeTrue();
        EventParser.Parse(Encoding.UTF8.GetBytes(Event(createdAt))).Reason?.Code.Should().Be(reason);
    }

    [Test]
    public void Reads_an_upper_case_uuid_and_the_key_is_lower_case()
    {
        var json = Event().Replace(Uuid, Uuid.ToUpperInvariant(), StringComparison.Ordinal);

        Handled(json).Should().BeTrue();
        EventParser.Parse(Encoding.UTF8.GetBytes(json)).Event!.UuidKey.Should().Be(Uuid);
    }

    [TestCase("{}")]
    [TestCase("""{"a":{},"b":[],"c":[{}],"d":{"e":[true,false,null,"x",-1.5e3]}}""")]
    [TestCase("""{"event_uuid":{"event_uuid":1},"event_name":["a:b"],"created_at":"x"}""")]
    [TestCase("""{"a":{"event_type":"nested, so not derived"}}""")]
    [TestCase("""{"Event_Type":"names compare case-sensitively","EVENT_SUBTYPE":"x"}""")]
    [TestCase("""{"a":{"x":1,"y":2},"b":{"x":1,"y":2}}""")]
    [TestCase("""{"":1,"a":""}""")]
    [TestCase("""{"s":" spaces inside strings are text "}""")]
    public void Reads_objects_of_the_shape_whatever_they_hold(string json)
    {
        Handled(json).Should().BeTrue();
    }

    [TestCase("""{"a":{"x":1,"x":2}}""")]
    [TestCase("""{"a":[{"x":1},{"y":1,"y":2}]}""")]
    [TestCase("""{"a":1,"b":2,"a":3}""")]
    public void Leaves_repeated_member_names_in_any_object_to_the_reader(string json)
    {
        Handled(json).Should().BeFalse();
        EventParser.Parse(Encoding.UTF8.GetBytes(json)).Reason!.Detail.Should().StartWith("Duplicate property");
    }

    [TestCase("created_datetime")]
    [TestCase("event_type")]
    [TestCase("event_subtype")]
    public void Leaves_a_top_level_derived_member_to_the_reader(string name)
    {
        Handled(Event(rest: $$""","{{name}}":"x" """.TrimEnd())).Should().BeFalse();
    }

    [TestCase("[]")]
    [TestCase("[{}]")]
    [TestCase("\"text\"")]
    [TestCase("1")]
    [TestCase("null")]
    [TestCase("true")]
    public void Leaves_roots_that_are_not_objects_to_the_reader(string json)
    {
        Handled(json).Should().BeFalse();
    }

    [TestCase(" {}")]
    [TestCase("{} ")]
    [TestCase("{}\n")]
    [TestCase("{ }")]
    [TestCase("{\"a\": 1}")]
    [TestCase("{\"a\" :1}")]
    [TestCase("{\"a\":1 ,\"b\":2}")]
    [TestCase("{\"a\":\t1}")]
    [TestCase("{\"a\":\"x\\\"y\"}")]
    [TestCase("{\"a\":\"\\u0041\"}")]
    [TestCase("{\"a\\u0062\":1}")]
    [TestCase("{\"a\":\"café\"}")]
    [TestCase("{\"a\":\"\u007f\"}")]
    [TestCase("{\"a\":\"\u0001\"}")]
    [TestCase("{}x")]
    [TestCase("{}{}")]
    [TestCase("{\"a\":1,}")]
    [TestCase("{\"a\":[1,]}")]
    [TestCase("{,\"a\":1}")]
    [TestCase("{\"a\"}")]
    [TestCase("{\"a\":}")]
    [TestCase("{\"a\":tru}")]
    [TestCase("{\"a\":True}")]
    [TestCase("{\"a\":nul}")]
    [TestCase("{\"a\":'x'}")]
    [TestCase("{a:1}")]
    [TestCase("\uFEFF{}")]
    public void Leaves_whitespace_escapes_non_ASCII_and_anything_not_strict_JSON_to_the_reader(string json)
    {
        Handled(json).Should().BeFalse();
    }

    [Test]
    public void Leaves_every_truncation_of_an_event_to_the_reader()
    {
        var json = Encoding.UTF8.GetBytes(Event(rest: ""","a":[1,{"b":"c"}],"d":true"""));
        CompactEventScanner.TryScan(json, out _).Should().BeTrue();

        for (var length = 0; length < json.Length; length++)
            ScannerAgreement.Check(json[..length]).Should().BeFalse(Encoding.UTF8.GetString(json[..length]));
    }

    [Test]
    public void Reads_nesting_up_to_its_bound_and_leaves_deeper_nesting_to_the_reader()
    {
        // The root object is depth 1, so MaxDepth - 1 arrays fit inside it.
        static string Nested(int arrays) => Event(rest: $",\"deep\":{new string('[', arrays)}1{new string(']', arrays)}");

        Handled(Nested(CompactEventScanner.MaxDepth - 1)).Should().BeTrue();
        Handled(Nested(CompactEventScanner.MaxDepth)).Should().BeFalse();
        Handled(Nested(70)).Should().BeFalse();
        EventParser.Parse(Encoding.UTF8.GetBytes(Nested(70))).Reason!.Code.Should().Be(RejectReason.NotJson);
    }

    [Test]
    public void Leaves_objects_with_more_open_names_than_it_holds_to_the_reader()
    {
        static string Members(int count) => "{" + string.Join(",", Enumerable.Range(0, count).Select(i => $"\"m{i}\":{i}")) + "}";

        Handled(Members(CompactEventScanner.MaxOpenNames)).Should().BeTrue();
        Handled(Members(CompactEventScanner.MaxOpenNames + 1)).Should().BeFalse();
    }

    [Test]
    public void Archives_the_same_line_bytes_as_the_reader_path_for_a_compact_event()
    {
        var json = Encoding.UTF8.GetBytes(Event("1709294400.5", ""","user_id":"u-1","tags":["a","b"],"score":0.75"""));

        var fast = EventParser.Parse(json);
        var old = EventParser.Parse(json, null, compactScanFirst: false);

        CompactEventScanner.TryScan(json, out _).Should().BeTrue();
        Encoding.UTF8.GetString(fast.Event!.Line.Span).Should().Be(Encoding.UTF8.GetString(old.Event!.Line.Span));
        Encoding.UTF8.GetString(fast.Event.Line.Span).Should().Be(
            $$"""{"event_uuid":"{{Uuid}}","event_name":"lesson:started","created_at":1709294400.5,"user_id":"u-1","tags":["a","b"],"score":0.75,"created_datetime":"2024-03-01T12:00:00.500Z","event_type":"lesson","event_subtype":"started"}""");
    }
}

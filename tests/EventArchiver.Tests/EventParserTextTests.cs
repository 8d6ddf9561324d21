using System.Text;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Events.Domain;
using Pipelines.Shared.Buffers;

namespace Pipelines.Tests.EventArchiver;

/// <summary>
/// The parser reads the payload in one pass (validation, the archived line, uuid and event_name from the UTF-8);
/// escapes, non-ASCII text, nesting and repeated names must come out as they did from JsonDocument.
/// </summary>
public class EventParserTextTests
{
    private const string Uuid = "3f2b8c1e-9d4a-4e6b-8f1c-2a7d5e9b0c14";

    private static ParseResult Parse(string json) => EventParser.Parse(Encoding.UTF8.GetBytes(json));

    private static string LineOf(ParseResult result)
    {
        result.Reason.Should().BeNull();
        return Encoding.UTF8.GetString(result.Event!.Line.Span);
    }

    [Test]
    public void Reads_an_escaped_event_name_as_its_text()
    {
        var result = Parse($$"""{"event_uuid":"{{Uuid}}","event_name":"less\u006fn:sta\"rted","created_at":1}""");

        result.Event!.EventType.Should().Be("lesson");
        result.Event.EventSubtype.Should().Be("sta\"rted");
        LineOf(result).Should().Be($$"""{"event_uuid":"{{Uuid}}","event_name":"lesson:sta\"rted","created_at":1,"created_datetime":"1970-01-01T00:00:01.000Z","event_type":"lesson","event_subtype":"sta\"rted"}""");
    }

    [TestCase(" " + Uuid + " ")]
    [TestCase(Uuid + "\\n")]
    [TestCase("\\u0033f2b8c1e-9d4a-4e6b-8f1c-2a7d5e9b0c14")]
    public void Accepts_the_uuid_forms_Guid_parsing_accepts_and_archives_it_as_sent(string sent)
    {
        var result = Parse($$"""{"event_uuid":"{{sent}}","event_name":"a:b","created_at":1}""");

        result.Event!.UuidKey.Should().Be(Uuid);
        LineOf(result).Should().StartWith($$"""{"event_uuid":""");
    }

    [TestCase("\\u0020", RejectReason.InvalidUuid)]
    [TestCase("", RejectReason.EmptyField)]
    public void Rejects_a_uuid_that_is_blank_or_empty_with_the_reason_it_always_had(string sent, string reason)
    {
        Parse($$"""{"event_uuid":"{{sent}}","event_name":"a:b","created_at":1}""").Reason!.Code.Should().Be(reason);
    }

    [Test]
    public void Counts_the_event_type_limit_in_characters_not_bytes()
    {
        var longest = new string('é', EventParser.MaxEventTypeLength);

        Parse($$"""{"event_uuid":"{{Uuid}}","event_name":"{{longest}}:x","created_at":1}""").Event!.EventType.Should().Be(longest);
        Parse($$"""{"event_uuid":"{{Uuid}}","event_name":"{{longest}}é:x","created_at":1}""").Reason!.Code.Should().Be(RejectReason.InvalidEventName);
    }

    [TestCase("less\\u0001on:started")]
    [TestCase("less\u007fon:started")]
    public void Rejects_a_control_character_in_the_event_type_whether_escaped_or_not(string name)
    {
        Parse($$"""{"event_uuid":"{{Uuid}}","event_name":"{{name}}","created_at":1}""").Reason!.Code.Should().Be(RejectReason.InvalidEventName);
    }

    [Test]
    public void Splits_every_name_correctly_however_many_distinct_names_a_stream_sends()
    {
        // More distinct names than the shared type/subtype strings are kept for.
        for (var i = 0; i < 3000; i++)
        {
            var parsed = Parse($$"""{"event_uuid":"{{Uuid}}","event_name":"type{{i % 1500}}:sub:{{i}}","created_at":1}""").Event!;

            parsed.EventType.Should().Be($"type{i % 1500}");
            parsed.EventSubtype.Should().Be($"sub:{i}");
        }
    }

    [Test]
    public void Accepts_a_long_event_name_with_a_long_subtype()
    {
        var subtype = new string('z', 2000);

        Parse($$"""{"event_uuid":"{{Uuid}}","event_name":"t:{{subtype}}","created_at":1}""").Event!.EventSubtype.Should().Be(subtype);
    }

    [TestCase("""{"event_uuid":"3f2b8c1e-9d4a-4e6b-8f1c-2a7d5e9b0c14","event_name":"a:b","created_at":1,"note":"\ud800"}""")]
    [TestCase("""{"event_uuid":"3f2b8c1e-9d4a-4e6b-8f1c-2a7d5e9b0c14","event_name":"a\udc00:b","created_at":1}""")]
    [TestCase("""{"event_uuid":"\ud800","event_name":"a:b","created_at":1}""")]
    [TestCase("""{"event_uuid":"3f2b8c1e-9d4a-4e6b-8f1c-2a7d5e9b0c14","\ud800":1,"event_name":"a:b","created_at":1}""")]
    [TestCase("""{"event_uuid":"3f2b8c1e-9d4a-4e6b-8f1c-2a7d5e9b0c14","\ud800abcdefghi":1,"event_name":"a:b","created_at":1}""")]
    public void Rejects_an_unpaired_surrogate_escape_instead_of_failing_the_batch(string json)
    {
        Parse(json).Reason!.Code.Should().Be(RejectReason.NotJson);
    }

    [TestCase("""{"event_uuid":"not closed""", "object", 25)]
    [TestCase("""{"event_uuid":"3f2b8c1e-9d4a-4e6b-8f1c-2a7d5e9b0c14",""", "object", 53)]
    [TestCase("""[1,{"a":""", "array", 8)]
    [TestCase("""{"a":tru""", "object", 8)]
    public void Rejects_a_payload_cut_short_naming_where_it_ends(string json, string kind, int length)
    {
        var reason = Parse(json).Reason!;

        reason.Code.Should().Be(RejectReason.NotJson);
        reason.Detail.Should().Be($"payload ends at byte {length}, before its JSON {kind} is closed");
    }

    [TestCase("123", RejectReason.NotAnObject)]
    [TestCase(" 12.5e3 ", RejectReason.NotAnObject)]
    [TestCase("true", RejectReason.NotAnObject)]
    [TestCase("{\"a\":1} 2", RejectReason.NotJson)]
    [TestCase("{\"a\":1}}", RejectReason.NotJson)]
    [TestCase("{\"a\":x", RejectReason.NotJson)]
    public void Reads_bare_values_and_what_follows_a_closed_object_as_the_whole_payload(string json, string code)
    {
        Parse(json).Reason!.Code.Should().Be(code);
    }

    [Test]
    public void Reports_other_problems_before_an_unpaired_surrogate_escape_in_a_value()
    {
        Parse("""{"event_uuid":"3f2b8c1e-9d4a-4e6b-8f1c-2a7d5e9b0c14","note":"\ud800","event_name":"a:b"}""")
            .Reason!.Code.Should().Be(RejectReason.MissingField);
    }

    [TestCase("""{"event_uuid":"3f2b8c1e-9d4a-4e6b-8f1c-2a7d5e9b0c14","event_name":"a:b","created_at":1,"x":{"k":1,"j":{"z":1,"z":2},"k":2}}""", "z")]
    [TestCase("""{"event_uuid":"3f2b8c1e-9d4a-4e6b-8f1c-2a7d5e9b0c14","event_name":"a:b","created_at":1,"x":{"\u0061":1,"a":2}}""", "a")]
    [TestCase("""[{"a":1,"a":2}]""", "a")]
    public void Rejects_a_repeated_member_name_at_any_depth_naming_the_innermost_one(string json, string name)
    {
        var reason = Parse(json).Reason!;

        reason.Code.Should().Be(RejectReason.NotJson);
        reason.Detail.Should().Contain($"'{name}'");
    }

    [Test]
    public void Finds_a_repeated_member_name_in_an_object_with_many_members()
    {
        var members = string.Concat(Enumerable.Range(0, 40).Select(i => $",\"m{i}\":{i}"));

        Parse($$"""{"event_uuid":"{{Uuid}}","event_name":"a:b","created_at":1{{members}}}""").IsValid.Should().BeTrue();
        Parse($$"""{"event_uuid":"{{Uuid}}","event_name":"a:b","created_at":1{{members}},"m17":1}""").Reason!.Detail.Should().Contain("'m17'");
    }

    [Test]
    public void Copies_nested_members_named_like_derived_ones_and_drops_only_top_level_ones_whatever_their_value()
    {
        var result = Parse($$$"""{"event_type":{"a":[1,{"b":null}]},"event_uuid":"{{{Uuid}}}","event_name":"a:b","created_at":1,"event_subtype":[1,[2]],"meta":{"event_type":"kept"}}""");

        LineOf(result).Should().Be($$$"""{"event_uuid":"{{{Uuid}}}","event_name":"a:b","created_at":1,"meta":{"event_type":"kept"},"created_datetime":"1970-01-01T00:00:01.000Z","event_type":"a","event_subtype":"b"}""");
    }

    [Test]
    public void Writes_strings_and_numbers_as_the_archive_always_had_them()
    {
        // Minified; strings unescaped then re-escaped by the relaxed encoder (which still escapes control and
        // supplementary-plane characters); numbers exactly as sent.
        var result = Parse($$"""
            { "event_uuid" : "{{Uuid}}" , "event_name": "a:b", "created_at": 1,
              "n": [1, 2.50, -0, 1E+3, true, false, null], "s": "\u00e9\n\"\\\/<>&'+ \u0001 \ud83d\ude00", "\u006eame": "x" }
            """);

        LineOf(result).Should().Be($$"""{"event_uuid":"{{Uuid}}","event_name":"a:b","created_at":1,"n":[1,2.50,-0,1E+3,true,false,null],"s":"é\n\"\\/<>&'+ \u0001 \uD83D\uDE00","name":"x","created_datetime":"1970-01-01T00:00:01.000Z","event_type":"a","event_subtype":"b"}""");
    }

    [TestCase(63, true)]
    [TestCase(64, false)]
    public void Accepts_nesting_up_to_the_depth_limit(int arrays, bool valid)
    {
        var deep = new string('[', arrays) + new string(']', arrays);

        Parse($$"""{"event_uuid":"{{Uuid}}","event_name":"a:b","created_at":1,"d":{{deep}}}""").IsValid.Should().Be(valid);
    }

    [Test]
    public void Keeps_a_line_valid_after_later_records_are_parsed_into_the_same_arena()
    {
        using var arena = new PooledByteArena();
        var lines = Enumerable.Range(0, 2000)
            .Select(i => EventParser.Parse(Encoding.UTF8.GetBytes($$"""{"event_uuid":"{{Uuid}}","event_name":"a:b","created_at":{{i}},"pad":"{{new string('p', i % 97)}}"}"""), arena).Event!.Line)
            .ToList();

        for (var i = 0; i < lines.Count; i++)
            Encoding.UTF8.GetString(lines[i].Span).Should().Contain($"\"created_at\":{i},").And.EndWith("\"event_subtype\":\"b\"}");
    }

    [TestCase("""{"event_uuid":"3f2b8c1e-9d4a-4e6b-8f1c-2a7d5e9b0c14","event_name":"page:view","created_at":1709294400,"n":[1.50,-0,1E+3,true,null,{},[]],"s":"a <b> & 'c' + d ~!@#$%^*()_=`|{}[];?/.,x"}""")]
    [TestCase("""{"event_uuid":"3f2b8c1e-9d4a-4e6b-8f1c-2a7d5e9b0c14","event_name":"page:view","created_at":1709294400,"s":"caf\u00e9","t":"é"}""")]
    public void Writes_the_same_line_whether_the_payload_is_minified_or_spaced_out(string minified)
    {
        // A minified ASCII payload is copied as it is; any other is written member by member: both must agree.
        var spaced = minified.Replace("\":", "\" : ", StringComparison.Ordinal).Replace(",\"", " ,\n \"", StringComparison.Ordinal);

        LineOf(Parse(spaced)).Should().Be(LineOf(Parse(minified)));
    }
}

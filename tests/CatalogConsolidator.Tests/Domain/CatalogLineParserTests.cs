using System.Buffers;
using System.Text;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Catalog.Domain;

namespace Pipelines.Tests.CatalogConsolidator.Domain;

public class CatalogLineParserTests
{
    private readonly FieldNameTable _names = new();

    private string? Parse(string line, out CatalogLineParser parser)
    {
        parser = new CatalogLineParser(_names);
        return parser.Parse(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(line)));
    }

    [TestCase("not json", "not valid JSON")]
    [TestCase("{\"partner_id\":\"a\",", "not valid JSON")]
    [TestCase("[1,2]", "line is not a JSON object")]
    [TestCase("\"text\"", "line is not a JSON object")]
    [TestCase("{\"partner_id\":\"a\",\"accommodation_id\":\"H\",\"content_type\":\"hotel\"} trailing", "not valid JSON")]
    [TestCase("{\"accommodation_id\":\"H\",\"content_type\":\"hotel\"}", "missing required field 'partner_id'")]
    [TestCase("{\"partner_id\":\"a\",\"content_type\":\"hotel\"}", "missing required field 'accommodation_id'")]
    [TestCase("{\"partner_id\":\"a\",\"accommodation_id\":\"H\"}", "missing required field 'content_type'")]
    [TestCase("{\"partner_id\":\"\",\"accommodation_id\":\"H\",\"content_type\":\"hotel\"}", "field 'partner_id' must be a non-empty string")]
    [TestCase("{\"partner_id\":\"a\",\"accommodation_id\":17,\"content_type\":\"hotel\"}", "field 'accommodation_id' must be a non-empty string")]
    [TestCase("{\"partner_id\":\"a\",\"accommodation_id\":\"H\",\"content_type\":\"  \"}", "field 'content_type' must be a non-empty string")]
    [TestCase("{\"partner_id\":null,\"accommodation_id\":\"H\",\"content_type\":\"hotel\"}", "field 'partner_id' must be a non-empty string")]
    // A lone escaped surrogate is valid JSON syntax but no text: the reader refuses to unescape it.
    [TestCase("{\"partner_id\":\"a\",\"accommodation_id\":\"H\\ud800\",\"content_type\":\"hotel\"}", "not valid JSON")]
    [TestCase("{\"partner_id\":\"\\udc00a\",\"accommodation_id\":\"H\",\"content_type\":\"hotel\"}", "not valid JSON")]
    [TestCase("{\"partner_id\":\"a\",\"accommodation_id\":\"H\",\"content_type\":\"hotel\\ud800\"}", "not valid JSON")]
    [TestCase("{\"\\ud800x\":1,\"partner_id\":\"a\",\"accommodation_id\":\"H\",\"content_type\":\"hotel\"}", "not valid JSON")]
    public void Rejects_lines_that_can_never_be_consolidated_with_a_reason(string line, string reason)
    {
        var error = Parse(line, out var parser);
        using (parser)
            error.Should().StartWith(reason);
    }

    [Test]
    public void Rejects_invalid_utf8()
    {
        using var parser = new CatalogLineParser(_names);
        var bytes = "{\"partner_id\":\"a\",\"accommodation_id\":\"H\",\"content_type\":\"hotel\",\"n\":\""u8.ToArray().Concat(new byte[] { 0xC3, 0x28, (byte)'"', (byte)'}' }).ToArray();

        parser.Parse(new ReadOnlySequence<byte>(bytes)).Should().Be("line is not valid UTF-8");
    }

    [Test]
    public void Accepts_a_record_and_exposes_ids_and_raw_field_values()
    {
        var error = Parse("""{ "partner_id" : "acme", "accommodation_id":"H\u0031", "content_type":"hotel", "price": 10.50, "updated_at":"2024-02-03T04:05:06.789+01:00" }""", out var parser);
        using (parser)
        {
            error.Should().BeNull();
            parser.PartnerId.Should().Be("acme");
            parser.AccommodationId.ToString().Should().Be("H1", "escapes in ids are decoded for grouping");
            parser.ContentType.Should().Be("hotel");
            parser.UpdatedAtTicks.Should().Be(new DateTimeOffset(2024, 2, 3, 3, 5, 6, 789, TimeSpan.Zero).UtcTicks);
            var price = parser.Fields.ToArray().Single(f => _names.NameOf(f.NameId) == "price");
            Encoding.UTF8.GetString(parser.Line.Slice(price.ValueStart, price.ValueLength)).Should().Be("10.50");
        }
    }

    [Test]
    public void A_repeated_key_keeps_the_last_value_once()
    {
        var error = Parse("""{"partner_id":"a","accommodation_id":"H","content_type":"hotel","name":"one","name":"two"}""", out var parser);
        using (parser)
        {
            error.Should().BeNull();
            var names = parser.Fields.ToArray().Where(f => _names.NameOf(f.NameId) == "name").ToList();
            names.Should().ContainSingle();
            Encoding.UTF8.GetString(parser.Line.Slice(names[0].ValueStart, names[0].ValueLength)).Should().Be("\"two\"");
        }
    }

    [Test]
    public void Parses_a_line_that_arrives_in_several_segments()
    {
        var first = new Segment("{\"partner_id\":\"a\",\"accom"u8.ToArray());
        var last = first.Append("modation_id\":\"H\",\"content_type\":\"hotel\"}"u8.ToArray());
        using var parser = new CatalogLineParser(_names);

        parser.Parse(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length)).Should().BeNull();
        parser.AccommodationId.ToString().Should().Be("H");
    }

    [Test]
    public void Partner_and_content_type_read_right_whether_repeated_escaped_or_alternating()
    {
        using var parser = new CatalogLineParser(_names);
        (string? Error, string Partner, string ContentType) Read(string line)
        {
            var error = parser.Parse(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(line)));
            return (error, parser.PartnerId, parser.ContentType);
        }

        Read("""{"partner_id":"acme","accommodation_id":"H1","content_type":"hotel"}""").Should().Be(((string?)null, "acme", "hotel"));
        Read("""{"partner_id":"acm\u0065","accommodation_id":"H2","content_type":"hostel"}""").Should().Be(((string?)null, "acme", "hostel"));
        Read("""{"partner_id":"h\u00f4tel+","accommodation_id":"H3","content_type":"hôtel"}""").Should().Be(((string?)null, "hôtel+", "hôtel"));
        Read("""{"partner_id":"acme","accommodation_id":"H4","content_type":"hotel"}""").Should().Be(((string?)null, "acme", "hotel"));
        Read("""{"partner_id":"\u0020","accommodation_id":"H5","content_type":"hotel"}""").Error.Should().Be("field 'partner_id' must be a non-empty string");
        Read("""{"partner_id":"acme","accommodation_id":"H6","content_type":" "}""").Error.Should().Be("field 'content_type' must be a non-empty string");
    }

    [Test]
    public void Accommodation_ids_of_any_length_are_decoded_whole_and_blank_ones_rejected()
    {
        using var parser = new CatalogLineParser(_names);
        string? Parse(string id) => parser.Parse(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(
            $$"""{"partner_id":"a","accommodation_id":"{{id}}","content_type":"hotel"}""")));
        var longId = string.Concat(Enumerable.Repeat("Caf\\u00e9-", 40));

        Parse(longId).Should().BeNull();
        parser.AccommodationId.ToString().Should().Be(string.Concat(Enumerable.Repeat("Café-", 40)));
        Parse("H2").Should().BeNull();
        parser.AccommodationId.ToString().Should().Be("H2", "nothing of the longer id before it remains");
        Parse("\\t ").Should().Be("field 'accommodation_id' must be a non-empty string");
        parser.AccommodationId.ToString().Should().BeEmpty();
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(byte[] data) => Memory = data;

        public Segment Append(byte[] data)
        {
            var next = new Segment(data) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }

    [Test]
    public void Names_and_ids_stay_right_when_lines_change_order_spelling_and_partner()
    {
        using var parser = new CatalogLineParser(_names);
        string Field(string name) =>
            parser.Fields.ToArray().Where(f => _names.NameOf(f.NameId) == name)
                .Select(f => Encoding.UTF8.GetString(parser.Line.Slice(f.ValueStart, f.ValueLength))).Single();

        parser.Parse(new ReadOnlySequence<byte>("""{"partner_id":"a","accommodation_id":"H1","content_type":"hotel","name":"x","rating":1}"""u8.ToArray())).Should().BeNull();
        parser.Parse(new ReadOnlySequence<byte>("""{"partner_id":"b","accommodation_id":"H2","content_type":"hostel","rating":2,"name":"y"}"""u8.ToArray())).Should().BeNull();
        (parser.PartnerId, parser.ContentType, Field("name"), Field("rating")).Should().Be(("b", "hostel", "\"y\"", "2"));
        parser.Parse(new ReadOnlySequence<byte>("""{"partner\u005fid":"c","accommodation_id":"H3","content_type":"hostel","r\u0061ting":3}"""u8.ToArray())).Should().BeNull();
        (parser.PartnerId, Field("rating")).Should().Be(("c", "3"));
        parser.Parse(new ReadOnlySequence<byte>("""{"partner_id":"c","accommodation_id":"H4","content_type":"hostel","rating":4}"""u8.ToArray())).Should().BeNull();
        (parser.PartnerId, Field("rating")).Should().Be(("c", "4"));
    }
}

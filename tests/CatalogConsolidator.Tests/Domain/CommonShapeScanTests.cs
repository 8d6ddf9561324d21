using System.Buffers;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Catalog.Domain;

namespace Pipelines.Tests.CatalogConsolidator.Domain;

/// <summary>
/// The parser's byte scanner must read every line exactly as the reader path does: same reject reason, same ids, same
/// fields with the same raw values. Each line goes through a parser with the scanner and one without, side by side.
/// </summary>
public class CommonShapeScanTests
{
    private const string Typical =
        """{"partner_id":"casa_connect","accommodation_id":"CASA-00079502","content_type":"hotel","name":"Castle hotel Zürich (casa_connect)","address":{"street":"222 Castle Street","city":"Zürich","country":"CH"},"geo":{"lat":34.562446,"lon":-68.409806},"rating":6.9,"stars":4,"price":{"amount":423.69,"currency":"EUR"},"amenities":["wifi","gym"],"updated_at":"2024-04-30T16:15:38Z"}""";

    private static readonly string[] Lines =
    [
        Typical,
        """{"partner_id":"a","accommodation_id":"H1","content_type":"hotel","description":"Lovely — “a” says hi. 😀 日本","updated_at":"2024-02-29T23:59:59Z"}""",
        """  {  "partner_id" : "a" ,	"accommodation_id"	:	"H2" ,"content_type":"hotel"  , "x" : [ 1 , 2 , { } , [ ] , "" ] }  """,
        "{\"partner_id\":\"a\",\"accommodation_id\":\"H3\",\"content_type\":\"hotel\"}\r",
        "\r\n{\"partner_id\":\"a\",\r\n\"accommodation_id\":\"H3\",\n\"content_type\":\"hotel\"}\n",
        """{"partner_id":"a","accommodation_id":"H4","content_type":"hotel","n":null,"t":true,"f":false,"o":{"n":null,"t":[true,false,null]}}""",
        """{"partner_id":"a","accommodation_id":"H5","content_type":"hotel","a":0,"b":-0,"c":1.5,"d":-12.25e10,"e":1E+5,"f":2e-3,"g":0.0,"h":123456789012345678901234567890}""",
        """{"partner_id":"a","accommodation_id":"H6","content_type":"hotel","n":01}""",
        """{"partner_id":"a","accommodation_id":"H6","content_type":"hotel","n":1.}""",
        """{"partner_id":"a","accommodation_id":"H6","content_type":"hotel","n":.5}""",
        """{"partner_id":"a","accommodation_id":"H6","content_type":"hotel","n":1e}""",
        """{"partner_id":"a","accommodation_id":"H6","content_type":"hotel","n":-}""",
        """{"partner_id":"a","accommodation_id":"H6","content_type":"hotel","n":+1}""",
        """{"partner_id":"a","accommodation_id":"H6","content_type":"hotel","n":NaN}""",
        """{"partner_id":"a","accommodation_id":"H6","content_type":"hotel","n":tru}""",
        """{"partner_id":"a","accommodation_id":"H6","content_type":"hotel","n":nullx}""",
        """{"partner_id":"a","accommodation_id":"H6","content_type":"hotel","n":'x'}""",
        """{"partner_id":"a","accommodation_id":"H7","content_type":"hotel","name":"one","name":"two","partner_id":"b"}""",
        """{"partner_id":"a","accommodation_id":"H7","content_type":"hotel","consolidated_from":["x"],"source_objects":1,"z":2}""",
        """{"partner_id":"a","accommodation_id":"H8","content_type":"hotel","s":"tab\there \"quoted\" \\ \/ \b\f\n\r \u00e9 \ud83d\ude00"}""",
        """{"partner_id":"a","accommodation_id":"H8","content_type":"hotel","s":"lone \ud800 high"}""",
        """{"partner_id":"a","accommodation_id":"H8\ud800","content_type":"hotel"}""",
        """{"partner_id":"\u0061","accommodation_id":"H\u0039","content_type":"hot\u0065l","na\u006de":1}""",
        """{"partner_id":"a","accommodation_id":"H9","content_type":"hotel","s":"bad \x escape"}""",
        "{\"partner_id\":\"a\",\"accommodation_id\":\"H9\",\"content_type\":\"hotel\",\"s\":\"raw\ttab\"}",
        "{\"partner_id\":\"a\",\"accommodation_id\":\"H9\",\"content_type\":\"hotel\",\"s\":\"raw\u007fdel\"}",
        """{"partner_id":"a","accommodation_id":"H10","content_type":"hotel",}""",
        """{"partner_id":"a","accommodation_id":"H10","content_type":"hotel","x":[1,]}""",
        """{"partner_id":"a","accommodation_id":"H10","content_type":"hotel","x":{"a":1,}}""",
        """{"partner_id":"a","accommodation_id":"H10","content_type":"hotel" "x":1}""",
        """{"partner_id":"a","accommodation_id":"H10","content_type":"hotel"} {}""",
        """{"partner_id":"a","accommodation_id":"H10","content_type":"hotel"}}""",
        """{"partner_id":"a","accommodation_id":"H10","content_type":"hotel"/*c*/}""",
        """{"partner_id":"a","accommodation_id":"H10","content_type":"hotel","x":{"a":[1,{"b":[[[[]]]]}]}}""",
        "{\"partner_id\":\"a\",\"accommodation_id\":\"H11\",\"content_type\":\"hotel\",\"deep\":" + new string('[', 40) + new string(']', 40) + "}",
        "{\"partner_id\":\"a\",\"accommodation_id\":\"H11\",\"content_type\":\"hotel\",\"deep\":" + new string('[', 70) + new string(']', 70) + "}",
        "\uFEFF{\"partner_id\":\"a\",\"accommodation_id\":\"H12\",\"content_type\":\"hotel\"}",
        """{"partner_id":"","accommodation_id":"H13","content_type":"hotel"}""",
        """{"partner_id":" ","accommodation_id":"H13","content_type":"hotel"}""",
        """{"partner_id":"a","accommodation_id":"  ","content_type":"hotel"}""",
        """{"partner_id":"a","accommodation_id":"","content_type":"hotel"}""",
        """{"partner_id":"a","accommodation_id":17,"content_type":"hotel"}""",
        """{"partner_id":"a","accommodation_id":"H14","content_type":null}""",
        """{"partner_id":"a","accommodation_id":"H14","content_type":["hotel"]}""",
        """{"partner_id":{"a":1},"accommodation_id":"H14","content_type":"hotel"}""",
        """{"partner_id":"","accommodation_id":"H14","content_type":"hotel","partner_id":"a"}""",
        """{"accommodation_id":"H15","content_type":"hotel"}""",
        """{"partner_id":"a","content_type":"hotel"}""",
        """{"partner_id":"a","accommodation_id":"H15"}""",
        """{"partner_id":"a","accommodation_id":"H16","content_type":"hotel","updated_at":"2024-02-03T04:05:06.789+01:00"}""",
        """{"partner_id":"a","accommodation_id":"H16","content_type":"hotel","updated_at":"2023-02-29T00:00:00Z"}""",
        """{"partner_id":"a","accommodation_id":"H16","content_type":"hotel","updated_at":"2024-13-01T00:00:00Z"}""",
        """{"partner_id":"a","accommodation_id":"H16","content_type":"hotel","updated_at":"2024-04-30T24:00:00Z"}""",
        """{"partner_id":"a","accommodation_id":"H16","content_type":"hotel","updated_at":1714492538}""",
        """{"partner_id":"a","accommodation_id":"H16","content_type":"hotel","updated_at":"yesterday"}""",
        """{"partner_id":"a","accommodation_id":"H16","content_type":"hotel","updated_at":"2024-04-30T16:15:38Z","updated_at":null}""",
        """{"partner_id":"a","accommodation_id":"H16","content_type":"hotel","updated_at":"2024\u002d04-30T16:15:38Z"}""",
        "{}",
        "[]",
        "\"text\"",
        "42",
        "",
        "   ",
        "not json",
        "{",
    ];

    public static IEnumerable<string> Corpus() => Lines;

    [TestCaseSource(nameof(Corpus))]
    public void Reads_each_line_as_the_reader_does(string line) => AssertSameAsReader([Encoding.UTF8.GetBytes(line)]);

    [Test]
    public void Reads_every_truncation_insertion_and_deletion_of_usual_lines_as_the_reader_does()
    {
        var mutations = new List<byte[]>();
        byte[] inserts = [.. " \t\r\n\\\"{}[]:,0.e-+/nx\u0001"u8, 0xC3, 0xA9, 0xFF];
        foreach (var line in new[] { Typical, Lines[5], Lines[6], Lines[16] })
        {
            var bytes = Encoding.UTF8.GetBytes(line);
            for (var at = 0; at <= bytes.Length; at++)
            {
                mutations.Add(bytes[..at]);
                if (at < bytes.Length) mutations.Add([.. bytes[..at], .. bytes[(at + 1)..]]);
                foreach (var b in inserts) mutations.Add([.. bytes[..at], b, .. bytes[at..]]);
            }
        }

        AssertSameAsReader(mutations);
    }

    [Test]
    public void Keeps_the_usual_line_on_the_fast_path()
    {
        using var parser = new CatalogLineParser(new FieldNameTable());

        foreach (var line in new[] { Typical, Lines[1], Lines[2], Lines[5], Lines[6] })
        {
            parser.Parse(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(line))).Should().BeNull();
            parser.LastLineScanned.Should().BeTrue(line);
        }
        parser.Parse(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(Lines[22]))).Should().BeNull();
        parser.LastLineScanned.Should().BeFalse("escapes are left to the reader");
    }

    [TestCase("2024-04-30T16:15:38Z")]
    [TestCase("0001-01-01T00:00:00Z")]
    [TestCase("9999-12-31T23:59:59Z")]
    [TestCase("2024-02-29T12:00:00Z")]
    [TestCase("2023-02-29T12:00:00Z")]
    [TestCase("1900-02-29T12:00:00Z")]
    [TestCase("2000-02-29T12:00:00Z")]
    [TestCase("2024-04-31T00:00:00Z")]
    [TestCase("0000-01-01T00:00:00Z")]
    [TestCase("2024-00-10T00:00:00Z")]
    [TestCase("2024-01-00T00:00:00Z")]
    [TestCase("2024-01-10T24:00:00Z")]
    [TestCase("2024-01-10T23:60:00Z")]
    [TestCase("2024-01-10T23:59:60Z")]
    [TestCase("2024-01-10t23:59:59z")]
    [TestCase("2024-01-10 23:59:59Z")]
    [TestCase("2024-01-10T23:59:59")]
    [TestCase("2024-01-10T23:59:59+02:00")]
    [TestCase("2024-01-10T23:59:59.1234567Z")]
    [TestCase("2024-01-10")]
    [TestCase("2024-1a-10T23:59:59Z")]
    [TestCase("")]
    public void Reads_timestamps_as_the_reader_does(string text)
    {
        var quoted = Encoding.UTF8.GetBytes($"\"{text}\"");
        var reader = new Utf8JsonReader(quoted);
        reader.Read();
        var expected = reader.TryGetDateTimeOffset(out var at) ? at.UtcTicks : long.MinValue;

        CatalogLineParser.TimestampTicks(quoted).Should().Be(expected);
    }

    private static void AssertSameAsReader(IReadOnlyList<byte[]> lines)
    {
        // Each parser interns names in its own table: the same lines in the same order must give the same ids.
        var (scanNames, readNames) = (new FieldNameTable(), new FieldNameTable());
        using var scanning = new CatalogLineParser(scanNames);
        using var reading = new CatalogLineParser(readNames, scanCommonShape: false);
        foreach (var line in lines)
        {
            var text = Encoding.UTF8.GetString(line);
            var expected = Read(reading, line);
            Read(scanning, line).Should().BeEquivalentTo(expected, options => options.WithStrictOrdering(), text);
            scanNames.Count.Should().Be(readNames.Count, text);
        }
    }

    private static object Read(CatalogLineParser parser, byte[] line)
    {
        var error = parser.Parse(new ReadOnlySequence<byte>(line));
        var fields = parser.Fields.ToArray()
            .Select(f => (f.NameId, Value: Convert.ToHexString(parser.Line.Slice(f.ValueStart, f.ValueLength)), f.ValueStart, f.IsNull))
            .ToList();
        return new
        {
            Error = error,
            parser.PartnerId,
            AccommodationId = parser.AccommodationId.ToString(),
            parser.ContentType,
            parser.UpdatedAtTicks,
            Fields = fields,
        };
    }
}

using System.Text;
using NUnit.Framework;

namespace Pipelines.Tests.OrdersCdcPublisher.Transcoding;

/// <summary>
/// Hand-written stream events at the edges: shapes AWS does not send but a reader must answer for (duplicates, case
/// variants, escaped names, nulls, wrong JSON types, comments), rejects, and malformed or non-UTF-8 payloads.
/// </summary>
internal static class OddStreamEvents
{
    private const string Keys = """{"orderid":{"S":"o-1"}}""";

    /// <summary>Valid JSON events whose records are published, rejected or fail the invocation.</summary>
    public static IEnumerable<TestCaseData> Records()
    {
        // Attribute values.
        yield return Case("duplicate attribute names", Insert(Image("""
            "a":{"S":"1"},"b":{"N":"2"},"a":{"S":"3"}
            """)));
        yield return Case("duplicate type member", Insert(Image(""" "a":{"S":"x","S":"y"} """)));
        yield return Case("two type members", Insert(Image(""" "a":{"S":"x","N":"1"} """)));
        yield return Case("null type member then another", Insert(Image(""" "a":{"S":null,"N":"1"} """)));
        yield return Case("BOOL null", Insert(Image(""" "a":{"BOOL":null} """)));
        yield return Case("NULL false", Insert(Image(""" "a":{"NULL":false} """)));
        yield return Case("no type member", Insert(Image(""" "a":{"M":{"b":{}}} """)));
        yield return Case("null string in a set", Insert(Image(""" "a":{"SS":["x",null]} """)));
        yield return Case("null number in a set", Insert(Image(""" "a":{"NS":["1",null]} """)));
        yield return Case("null list element", Insert(Image(""" "a":{"L":[{"S":"x"},null]} """)));
        yield return Case("null attribute", Insert(Image(""" "a":null """)));
        yield return Case("null nested attribute", Insert(Image(""" "a":{"M":{"b":null}} """)));
        yield return Case("reserved attribute that is null", Insert(Image(""" "cdc_timestamp":null,"z":{"S":"kept"} """)));
        yield return Case("reserved attribute that is not a number", Insert(Image(""" "cdc_timestamp":{"N":"abc"} """)));
        yield return Case("case variant of a type member", Insert(Image(""" "a":{"s":"x"} """)));
        yield return Case("escaped type member", Insert(Image(""" "a":{"\u0053":"x"} """)));
        yield return Case("escaped attribute name", Insert(Image(""" "\u0061":{"S":"x"},"b\"q":{"S":"y"} """)));
        yield return Case("unknown members in attribute values", Insert(Image(""" "a":{"X":{"deep":[1,{"S":"no"}]},"S":"x","Y":null} """)));
        yield return Case("numbers DynamoDB allows and JSON does not", Insert(Image("""
            "a":{"N":"+5"},"b":{"N":".5"},"c":{"N":"5."},"d":{"N":"007"},"e":{"NS":["-.5e3","1"]}
            """)));
        yield return Case("numbers that are not numbers", Insert(Image(""" "a":{"N":"abc"} """)));
        yield return Case("empty number", Insert(Image(""" "a":{"N":""} """)));
        yield return Case("set number that is not a number", Insert(Image(""" "a":{"NS":["1","NaN"]} """)));
        yield return Case("escaped number", Insert(Image(""" "a":{"N":"\u0031"} """)));
        yield return Case("escaped strings and unicode", Insert(Image("""
            "a":{"S":"\u00e9\ud83d\ude00 \/ \b\f"},"b":{"B":"dGVzdA\u003d\u003d"},"c":{"SS":["\u4e2d","\"q\""]}
            """)));
        yield return Case("raw UTF-8 names and text", Insert(Image(""" "名前":{"S":"値 😀"},"emoji😀":{"M":{"ß":{"S":"Straße"}}} """)));
        yield return Case("line separators", Insert(Image(" \"a\":{\"S\":\"\u2028\u2029\"} ")));
        yield return Case("wide map", Insert(Image(string.Join(",", Enumerable.Range(0, 80).Select(i => $"\"attr{i}\":{{\"N\":\"{i}\"}}")))));
        yield return Case("wide map with a late duplicate", Insert(Image(string.Join(",", Enumerable.Range(0, 80).Select(i => $"\"attr{i % 70}\":{{\"N\":\"{i}\"}}")))));
        yield return Case("long names alike at both ends", Insert(Image(""" "customer_billing_address":{"S":"x"},"customer_shipping_address":{"S":"y"},"customer_AAAAAAAA_address":{"S":"z"},"customer_BBBBBBBB_address":{"S":"w"} """)));
        yield return Case("deep nesting", Insert(Image(""" "a":""" + Nested(25))));

        // The orderid.
        yield return Case("orderid only in the image", Insert(Image(""" "a":{"S":"x"} """), keys: """{"orderid":{"N":"42"}}"""));
        yield return Case("orderid of the wrong type", Insert("""{"orderid":{"N":"42"}}""", keys: """{"orderid":{"N":"42"}}"""));
        yield return Case("empty orderid", Insert(Image(""), keys: """{"orderid":{"S":""}}"""));
        yield return Case("escaped orderid name in Keys", Insert(Image(""), keys: """{"order\u0069d":{"S":"o-1"}}"""));
        yield return Case("escaped orderid value", Insert(Image(""), keys: """{"orderid":{"S":"o-\u0031\"x"}}"""));
        yield return Case("no Keys", Record("INSERT", """ "NewImage":{"orderid":{"S":"o-9"}},"SequenceNumber":"7" """));
        yield return Case("Keys null", Record("INSERT", """ "Keys":null,"NewImage":{"orderid":{"S":"o-9"}},"SequenceNumber":"7" """));

        // Images by event.
        yield return Case("KEYS_ONLY delete", Record("REMOVE", """ "Keys":{"orderid":{"S":"o-1"},"sk":{"N":"3"}},"SequenceNumber":"7","StreamViewType":"KEYS_ONLY" """));
        yield return Case("delete with only a new image", Record("REMOVE", """ "Keys":{"orderid":{"S":"o-1"}},"NewImage":{"orderid":{"S":"o-1"},"a":{"S":"x"}},"SequenceNumber":"7" """));
        yield return Case("modify with the old image first", Record("MODIFY", """
            "OldImage":{"orderid":{"S":"o-1"},"a":{"S":"old"}},"NewImage":{"orderid":{"S":"o-1"},"a":{"S":"new"}},"Keys":{"orderid":{"S":"o-1"}},"SequenceNumber":"7"
            """));
        yield return Case("NewImage null", Record("INSERT", """ "Keys":{"orderid":{"S":"o-1"}},"NewImage":null,"SequenceNumber":"7" """));
        yield return Case("invalid unused old image", Record("MODIFY", """
            "Keys":{"orderid":{"S":"o-1"}},"NewImage":{"orderid":{"S":"o-1"}},"OldImage":{"a":{"N":"x"}},"SequenceNumber":"7"
            """));

        // The envelope.
        yield return Case("event name after dynamodb", "{\"Records\":[{\"dynamodb\":{" + Stream(Image(""" "a":{"S":"x"} """), Keys) + "},\"eventName\":\"MODIFY\"}]}");
        yield return Case("escaped event name value", Insert(Image(""), eventName: "\"\\u0049NSERT\""));
        yield return Case("unknown event name", Insert(Image(""), eventName: "\"UPSERT\""));
        yield return Case("null event name", Insert(Image(""), eventName: "null"));
        yield return Case("case variant of eventName", Insert(Image("")).Replace("\"eventName\"", "\"eventname\"", StringComparison.Ordinal));
        yield return Case("escaped eventName", Insert(Image("")).Replace("\"eventName\"", "\"event\\u004eame\"", StringComparison.Ordinal));
        yield return Case("non-ASCII name that folds to a member", Insert(Image("")).Replace("\"eventID\"", "\"eventıD\"", StringComparison.Ordinal));
        yield return Case("case variant of Keys", Insert(Image("")).Replace("\"Keys\"", "\"keys\"", StringComparison.Ordinal));
        yield return Case("event name twice", Insert(Image("")).Replace("\"eventVersion\"", "\"eventName\":\"REMOVE\",\"eventVersion\"", StringComparison.Ordinal));
        yield return Case("dynamodb twice", Insert(Image("")).Replace("\"eventSourceARN\"", "\"dynamodb\":{},\"eventSourceARN\"", StringComparison.Ordinal));
        yield return Case("unknown members everywhere", "{\"x\":[1,{\"Records\":2}],\"Records\":[" + RecordObject("\"INSERT\"",
            Stream(Image(""" "a":{"S":"x"} """), Keys, ",\"bar\":null,\"Size\":{}"),
            "\"foo\":{\"a\":[1,2]},\"userIdentity\":{\"type\":\"Service\",\"principalId\":\"dynamodb.amazonaws.com\",\"more\":true},") + "],\"y\":null}");
        yield return Case("ttl delete", Remove(extra: """ "userIdentity":{"type":"Service","principalId":"dynamodb.amazonaws.com"}, """));
        yield return Case("ttl delete with escaped principal", Remove(extra: """ "userIdentity":{"type":"Serv\u0069ce","principalId":"dynamodb.amazonaws.com"}, """));
        yield return Case("user delete", Remove(extra: """ "userIdentity":{"type":"User","principalId":"dynamodb.amazonaws.com"}, """));
        yield return Case("identity with only a type", Remove(extra: """ "userIdentity":{"type":"Service"}, """));
        yield return Case("identity null", Remove(extra: """ "userIdentity":null, """));
        yield return Case("identity type twice", Remove(extra: """ "userIdentity":{"type":"User","type":"Service","principalId":"dynamodb.amazonaws.com"}, """));
        yield return Case("identity type a number", Remove(extra: """ "userIdentity":{"type":1}, """));
        yield return Case("no sequence number", Record("INSERT", """ "Keys":{"orderid":{"S":"o-1"}} """));
        yield return Case("empty sequence number", Record("INSERT", """ "Keys":{"orderid":{"S":"o-1"}},"SequenceNumber":"" """));
        yield return Case("null sequence number", Record("INSERT", """ "Keys":{"orderid":{"S":"o-1"}},"SequenceNumber":null """));
        yield return Case("dynamodb null", Insert(Image("")).Replace("\"dynamodb\":{", "\"dynamodb\":null,\"d\":{", StringComparison.Ordinal));
        yield return Case("string size", Record("INSERT", """ "Keys":{"orderid":{"S":"o-1"}},"SequenceNumber":"7","SizeBytes":"231" """));
        yield return Case("comments and trailing commas", """
            /* leading */ {"Records":[ // records
              {"eventName":"INSERT","dynamodb":{"Keys":{"orderid":{"S":"o-1",},},"NewImage":{"orderid":{"S":"o-1"},/* c */"a":{"L":[{"N":"1"},],},},"SequenceNumber":"7",},},
            ],} // done
            """);
        yield return Case("unknown top-level member", "{\"version\":\"0\"," + Insert(Image("")).TrimStart('{'));
        yield return Case("case variant of Records", "{\"records\":[]," + Insert(Image("")).TrimStart('{'));
        yield return Case("Records twice", "{\"Records\":[]," + Insert(Image("")).TrimStart('{'));
        yield return Case("Records null", """{"Records":null}""");
        yield return Case("no Records", """{"other":[]}""");
        yield return Case("empty Records", """{"Records":[]}""");
        yield return Case("null record", """{"Records":[null]}""");

        // ApproximateCreationDateTime.
        foreach (var value in new[] { "1709854200", "1709854200.25", "1709854200250", "1709854200.0005", "1709854200.0015", "0", "-1", "99999999999",
                     "100000000001", "1.7098542E9", "1E11", "null", "\"1709854200\"", "1e20", "1e400", "253402300799.999", "-62135596800" })
            yield return Case("creation time " + value, Record("INSERT", $$$""" "ApproximateCreationDateTime":{{{value}}},"Keys":{"orderid":{"S":"o-1"}},"SequenceNumber":"7" """));

        // JSON types the object model refuses: the invocation fails.
        foreach (var (name, attribute) in new[]
                 {
                     ("BOOL as text", """{"BOOL":"true"}"""), ("N as a number", """{"N":5}"""), ("M as a list", """{"M":[]}"""),
                     ("L as a map", """{"L":{}}"""), ("SS as text", """{"SS":"x"}"""), ("SS of numbers", """{"SS":[1]}"""),
                     ("attribute as text", "\"x\""), ("S as an object", """{"S":{}}"""),
                 })
            yield return Case(name, Insert(Image(" \"a\":" + attribute)));
        yield return Case("SizeBytes with a fraction", Record("INSERT", """ "Keys":{"orderid":{"S":"o-1"}},"SequenceNumber":"7","SizeBytes":1.5 """));
        yield return Case("SizeBytes null", Record("INSERT", """ "Keys":{"orderid":{"S":"o-1"}},"SequenceNumber":"7","SizeBytes":null """));
        yield return Case("dynamodb as a list", Insert(Image("")).Replace("\"dynamodb\":{", "\"dynamodb\":[],\"d\":{", StringComparison.Ordinal));
        yield return Case("Keys as text", Record("INSERT", """ "Keys":"o-1","SequenceNumber":"7" """));
        yield return Case("eventID a number", Insert(Image("")).Replace("\"eventID\":\"1\"", "\"eventID\":1", StringComparison.Ordinal));
        yield return Case("lone surrogate", Insert(Image(""" "a":{"S":"\ud800"} """)));
        yield return Case("lone surrogate in an unused image", Record("INSERT", """ "Keys":{"orderid":{"S":"o-1"}},"OldImage":{"a":{"S":"\udc00x"}},"SequenceNumber":"7" """));
        yield return Case("lone surrogate in an unknown member", Insert(Image("")).Replace("\"eventVersion\"", "\"z\":\"\\ud800\",\"eventVersion\"", StringComparison.Ordinal));
        yield return Case("too deep", Insert(Image(""" "a":""" + Nested(40))));
        yield return Case("record a number", """{"Records":[1]}""");
        yield return Case("Records an object", """{"Records":{}}""");
    }

    /// <summary>Payloads that are not JSON, or not UTF-8, or not an event.</summary>
    public static IEnumerable<TestCaseData> Payloads()
    {
        var valid = Encoding.UTF8.GetBytes(Insert(Image(""" "a":{"S":"xyz"} """)));
        yield return Bytes("empty", []);
        yield return Bytes("JSON null", "null"u8.ToArray());
        yield return Bytes("a list", "[]"u8.ToArray());
        yield return Bytes("truncated", valid[..^5]);
        yield return Bytes("trailing data", [.. valid, .. " x"u8]);
        yield return Bytes("two events", [.. valid, .. valid]);
        yield return Bytes("byte order mark", [0xEF, 0xBB, 0xBF, .. valid]);
        yield return Bytes("invalid UTF-8 in a value", Replace(valid, "xyz"u8, [0x78, 0xC3, 0x28]));
        yield return Bytes("invalid UTF-8 in an attribute name", Replace(valid, "\"a\""u8, [0x22, 0xFF, 0x22]));
        yield return Bytes("invalid UTF-8 in eventID", Replace(valid, "\"1\""u8, [0x22, 0xED, 0xA0, 0x80, 0x22]));
        yield return Bytes("invalid UTF-8 in the sequence number", Replace(valid, "\"7\""u8, [0x22, 0x37, 0xC0, 0x22]));
        yield return Bytes("invalid UTF-8 in an unknown member", Replace(valid, "\"eventVersion\""u8, [.. "\"zz\":\""u8, 0xFE, .. "\",\"eventVersion\""u8]));
        yield return Bytes("raw control character", Replace(valid, "xyz"u8, [0x78, 0x01]));
    }

    private static TestCaseData Case(string name, string json) => new TestCaseData(Encoding.UTF8.GetBytes(json)).SetArgDisplayNames(name);

    private static TestCaseData Bytes(string name, byte[] payload) => new TestCaseData(payload).SetArgDisplayNames(name);

    private static byte[] Replace(byte[] payload, ReadOnlySpan<byte> find, byte[] with)
    {
        var at = payload.AsSpan().IndexOf(find);
        if (at < 0) throw new ArgumentException("not in the payload", nameof(find));
        return [.. payload.AsSpan(0, at), .. with, .. payload.AsSpan(at + find.Length)];
    }

    private static string Image(string attributes) =>
        "{\"orderid\":{\"S\":\"o-1\"}" + (attributes.Trim().Length > 0 ? "," + attributes.Trim() : "") + "}";

    private static string Nested(int depth) =>
        depth == 0 ? """{"S":"bottom"}""" : "{\"L\":[" + Nested(depth - 1) + "]}";

    private static string Stream(string newImage, string keys, string extra = "") =>
        $"\"ApproximateCreationDateTime\":1709854200,\"Keys\":{keys},\"NewImage\":{newImage},\"SequenceNumber\":\"7\",\"SizeBytes\":26,\"StreamViewType\":\"NEW_AND_OLD_IMAGES\"{extra}";

    private static string Insert(string newImage, string keys = Keys, string eventName = "\"INSERT\"") =>
        "{\"Records\":[" + RecordObject(eventName, Stream(newImage, keys)) + "]}";

    private static string Remove(string extra) =>
        "{\"Records\":[" + RecordObject("\"REMOVE\"", $"\"Keys\":{Keys},\"OldImage\":{Image(""" "a":{"S":"gone"} """)},\"SequenceNumber\":\"9\"", extra.Trim()) + "]}";

    private static string Record(string eventName, string dynamodb) =>
        "{\"Records\":[" + RecordObject($"\"{eventName}\"", dynamodb.Trim()) + "]}";

    private static string RecordObject(string eventName, string dynamodb, string extra = "") =>
        "{\"eventID\":\"1\",\"eventName\":" + eventName + ",\"eventVersion\":\"1.1\",\"eventSource\":\"aws:dynamodb\",\"awsRegion\":\"us-east-1\"," +
        extra + "\"dynamodb\":{" + dynamodb + "},\"eventSourceARN\":\"arn:aws:dynamodb:us-east-1:123456789012:table/OrdersRawTable/stream/2024-03-01T00:00:00.000\"}";
}

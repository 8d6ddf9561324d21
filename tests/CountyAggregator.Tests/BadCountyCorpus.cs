using System.Text;
using System.Text.Json.Nodes;

namespace Pipelines.Tests.CountyAggregator;

/// <summary>Kinesis record data (base64 as on the wire) that can never be counted, each with its reason.</summary>
public static class BadCountyCorpus
{
    public sealed record Case(string Name, string Data, string Reason)
    {
        public override string ToString() => Name;
    }

    public static IReadOnlyList<Case> All { get; } =
    [
        Raw("base64 with illegal characters", "%%%%", "invalid base64: illegal character or padding"),
        Raw("base64 with a broken length", "eyJDb3VudHkiO", "invalid base64: length is not a multiple of 4"),
        Raw("base64 with a line break", "eyJDb3Vu\ndHkiOjF9", "invalid base64: contains whitespace"),
        Bytes("bytes that are not UTF-8", [0x80, 0x81, 0x82, 0x83], "invalid UTF-8 in decoded data"),
        Bytes("Latin-1 county name", [.. "{\"County\":\"Mont"u8, 0xE9, .. "\",\"timestamp\":\"2024-05-01T12:00:00Z\"}"u8], "invalid UTF-8 in decoded data"),
        Bytes("UTF-8 encoded surrogate", [.. "{\"County\":\""u8, 0xED, 0xB0, 0x80, .. "\"}"u8], "invalid UTF-8 in decoded data"),
        Raw("empty payload", "", "empty payload"),
        Text("CSV line instead of JSON", "Beaver Kill,Delaware,Brown Trout,", "not valid JSON"),
        Text("truncated JSON", "{\"County\":\"Delaware\",\"timestamp\":", "not valid JSON"),
        Text("two JSON objects", Good() + Good(), "not valid JSON"),
        Text("JSON with a comment", "{/* c */\"County\":\"Delaware\",\"timestamp\":\"2024-05-01T12:00:00Z\"}", "not valid JSON"),
        Text("JSON array", "[" + Good() + "]", "payload is a JSON array, not an object"),
        Text("JSON string", "\"Delaware\"", "payload is a JSON string, not an object"),
        Text("JSON boolean", "true", "payload is a JSON boolean, not an object"),
        Edit("missing County", r => r.Remove("County"), "County is missing"),
        Edit("null County", r => r["County"] = null, "County is missing"),
        Edit("empty County", r => r["County"] = "", "County is empty"),
        Edit("blank County", r => r["County"] = " \t ", "County is empty"),
        Edit("numeric County", r => r["County"] = 36025, "County must be a string, got number"),
        Edit("County as array", r => r["County"] = new JsonArray("Delaware"), "County must be a string, got array"),
        Edit("County as object", r => r["County"] = new JsonObject { ["name"] = "Delaware" }, "County must be a string, got object"),
        Edit("County over the key limit", r => r["County"] = new string('D', 2049), "County is longer than DynamoDB's 2048-byte partition key limit"),
        Edit("missing timestamp", r => r.Remove("timestamp"), "timestamp is missing"),
        Edit("numeric timestamp", r => r["timestamp"] = 1714564800, "timestamp must be an ISO 8601 string, got number"),
        Edit("timestamp without zone", r => r["timestamp"] = "2024-05-01T12:00:00", "timestamp '2024-05-01T12:00:00' is not an ISO 8601 date-time with an offset or Z"),
        Edit("impossible timestamp", r => r["timestamp"] = "2024-13-01T12:00:00Z", "timestamp '2024-13-01T12:00:00Z' is not an ISO 8601 date-time with an offset or Z"),
        Edit("timestamp in words", r => r["timestamp"] = "yesterday", "timestamp 'yesterday' is not an ISO 8601 date-time with an offset or Z"),
        Text("duplicate County", "{\"County\":\"Essex\"," + Good()[1..], "duplicate field 'County'"),
        Text("escaped unpaired surrogate", Good().Replace("\"Delaware\"", "\"\\udc00\"", StringComparison.Ordinal), "unpaired surrogate"),
        Edit("oversize row with blank county", r => { r["Comments"] = new string('c', 900_000); r["County"] = ""; }, "County is empty"),
    ];

    public static string Good() => SampleRows.Row("Delaware").ToJsonString();

    private static Case Raw(string name, string base64, string reason) => new(name, base64, reason);

    private static Case Bytes(string name, byte[] bytes, string reason) => new(name, Convert.ToBase64String(bytes), reason);

    private static Case Text(string name, string text, string reason) => Bytes(name, Encoding.UTF8.GetBytes(text), reason);

    private static Case Edit(string name, Action<JsonObject> edit, string reason)
    {
        var row = SampleRows.Row("Delaware");
        edit(row);
        return Text(name, row.ToJsonString(), reason);
    }
}

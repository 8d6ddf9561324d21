using System.Text;
using System.Text.Json.Nodes;

namespace Pipelines.Tests.ReviewIngestionProcessor;

/// <summary>
/// Records that can never be stored, as they would sit in a Kinesis record's <c>data</c> (base64 text), each with
/// the reason it must be rejected for.
/// </summary>
public static class BadReviewCorpus
{
    public sealed record Case(string Name, string Data, string Reason)
    {
        public override string ToString() => Name;
    }

    public static IReadOnlyList<Case> All { get; } = Build();

    private static List<Case> Build()
    {
        var cases = new List<Case>
        {
            Raw("base64 with illegal characters", "!!!!", "invalid base64: illegal character or padding"),
            Raw("base64 with a broken length", "eyJhIjox0", "invalid base64: length is not a multiple of 4"),
            Raw("base64 with whitespace", "eyJh IjoxfQ==", "invalid base64: contains whitespace"),
            Raw("base64 with misplaced padding", "e===", "invalid base64: illegal character or padding"),
            Bytes("bytes that are not UTF-8", [0xFF, 0xFE, 0x7B, 0x7D], "invalid UTF-8 in decoded data"),
            Bytes("overlong UTF-8 encoding", [.. "{\"review_id\":\""u8, 0xC0, 0xAF, .. "\"}"u8], "invalid UTF-8 in decoded data"),
            Bytes("truncated UTF-8 sequence", [.. "{\"review_id\":\"x"u8, 0xE2, 0x82], "invalid UTF-8 in decoded data"),
            Bytes("UTF-8 encoded surrogate", [.. "{\"review_id\":\""u8, 0xED, 0xA0, 0x80, .. "\"}"u8], "invalid UTF-8 in decoded data"),
            Raw("empty payload", "", "empty payload"),
            Text("plain text", "Hello, this is a test.", "not valid JSON"),
            Text("truncated JSON", "{\"review_id\":\"R1\",\"star_rating\":", "not valid JSON"),
            Text("JSON followed by garbage", Valid().ToJsonString() + " trailing", "not valid JSON"),
            Text("single-quoted pseudo JSON", "{'review_id': 'R1'}", "not valid JSON"),
            Text("JSON array", "[" + Valid().ToJsonString() + "]", "payload is a JSON array, not an object"),
            Text("JSON string", "\"R1\"", "payload is a JSON string, not an object"),
            Text("JSON number", "42", "payload is a JSON number, not an object"),
            Text("JSON null", "null", "payload is a JSON null, not an object"),
            Edit("missing review_id", r => r.Remove("review_id"), "review_id is missing"),
            Edit("empty review_id", r => r["review_id"] = "", "review_id is empty"),
            Edit("blank reviewer_id", r => r["reviewer_id"] = "   ", "reviewer_id is empty"),
            Edit("numeric product_id", r => r["product_id"] = 12345, "product_id must be a string, got number"),
            Edit("null marketplace_id", r => r["marketplace_id"] = null, "marketplace_id is missing"),
            Edit("star_rating as text", r => r["star_rating"] = "5", "star_rating must be an integer, got string"),
            Edit("star_rating zero", r => r["star_rating"] = 0, "star_rating must be from 1 to 5, got 0"),
            Edit("star_rating six", r => r["star_rating"] = 6, "star_rating must be from 1 to 5, got 6"),
            Edit("fractional star_rating", r => r["star_rating"] = 4.5, "star_rating must be an integer, got 4.5"),
            Edit("missing star_rating", r => r.Remove("star_rating"), "star_rating is missing"),
            Edit("negative helpful_votes", r => r["helpful_votes"] = -1, "helpful_votes must be at least 0, got -1"),
            Edit("helpful_votes as text", r => r["helpful_votes"] = "3", "helpful_votes must be an integer, got string"),
            Edit("verified_purchase as text", r => r["verified_purchase"] = "yes", "verified_purchase must be a boolean, got string"),
            Edit("numeric review_title", r => r["review_title"] = 42, "review_title must be a string, got number"),
            Edit("missing review_date", r => r.Remove("review_date"), "review_date is missing"),
            Edit("date without time", r => r["review_date"] = "2023-10-27", "review_date '2023-10-27' is not an ISO 8601 date-time with an offset or Z"),
            Edit("date without offset", r => r["review_date"] = "2023-10-27T10:00:00", "review_date '2023-10-27T10:00:00' is not an ISO 8601 date-time with an offset or Z"),
            Edit("impossible date", r => r["review_date"] = "2023-02-30T10:00:00Z", "review_date '2023-02-30T10:00:00Z' is not an ISO 8601 date-time with an offset or Z"),
            Edit("date in another format", r => r["review_date"] = "27/10/2023 10:00", "review_date '27/10/2023 10:00' is not an ISO 8601 date-time with an offset or Z"),
            Edit("date as epoch number", r => r["review_date"] = 1698400800, "review_date must be an ISO 8601 string, got number"),
            Edit("review text over 400 KB", r => r["review_text"] = new string('x', 410_000), "over DynamoDB's 409600-byte (400 KB) item limit"),
            Edit("review_id over the key limit", r => r["review_id"] = new string('k', 2049), "review_id is longer than DynamoDB's 2048-byte partition key limit"),
            Edit("number too large for DynamoDB", r => r["score"] = JsonNode.Parse("1e200"), "number 1e200 is larger than DynamoDB's range (1E+126)"),
            Edit("number with 40 digits", r => r["score"] = JsonNode.Parse("1234567890123456789012345678901234567890"), "more than 38 significant digits"),
            Edit("nesting deeper than 32 levels", r => r["deep"] = Nest(33), "nesting is deeper than DynamoDB's 32 levels"),
            Edit("empty field name", r => r[""] = 1, "a field name is empty"),
            Text("duplicate review_id", "{\"review_id\":\"R1\"," + Valid().ToJsonString()[1..], "duplicate field 'review_id'"),
            Text("escaped unpaired surrogate", Valid().ToJsonString().Replace("\"Solid kettle\"", "\"\\ud800\"", StringComparison.Ordinal), "unpaired surrogate"),
        };
        return cases;
    }

    public static JsonObject Valid() => SampleReviews.Full("RCORPUS");

    private static JsonNode Nest(int levels)
    {
        JsonNode node = 1;
        for (var i = 0; i < levels; i++) node = new JsonArray(node);
        return node;
    }

    private static Case Raw(string name, string base64, string reason) => new(name, base64, reason);

    private static Case Bytes(string name, byte[] bytes, string reason) => new(name, Convert.ToBase64String(bytes), reason);

    private static Case Text(string name, string text, string reason) => Bytes(name, Encoding.UTF8.GetBytes(text), reason);

    private static Case Edit(string name, Action<JsonObject> edit, string reason)
    {
        var review = Valid();
        edit(review);
        return Text(name, review.ToJsonString(), reason);
    }
}

using System.Text;
using System.Text.Json.Nodes;
using Pipelines.Reviews.Domain;
using Pipelines.Shared.Kinesis;

namespace Pipelines.Tests.ReviewIngestionProcessor;

/// <summary>Review payloads shaped like seed 000's schema, plus the Kinesis context they arrive with.</summary>
internal static class SampleReviews
{
    /// <summary>Kinesis events as Lambda delivers them from amazon-review-ingestion-stream to review-ingestion-processor.</summary>
    public static readonly KinesisEventBuilder Events = new("amazon-review-ingestion-stream", "review-ingestion-processor");

    public static readonly SourceRecord Source = new(
        "49590338271490256608559692538361571095921575989136588898",
        "shardId-000000000006",
        "R1",
        SourceRecord.ArrivalFromEpochSeconds(1545084650.987));

    public static JsonObject Full(string reviewId = "R1ABCDEF") => new()
    {
        ["review_id"] = reviewId,
        ["reviewer_id"] = "A2SUAM1J3GNN3B",
        ["product_id"] = "B00EXAMPLE",
        ["marketplace_id"] = "ATVPDKIKX0DER",
        ["star_rating"] = 4,
        ["review_title"] = "Solid kettle",
        ["review_text"] = "Boils fast, the lid is a bit stiff.",
        ["review_date"] = "2023-10-27T10:00:00Z",
        ["product_category"] = "Kitchen",
        ["helpful_votes"] = 3,
        ["verified_purchase"] = true,
    };

    public static JsonObject Minimal(string reviewId = "R2MINIMAL") => new()
    {
        ["review_id"] = reviewId,
        ["reviewer_id"] = "A1REVIEWER",
        ["product_id"] = "B000PRODUCT",
        ["marketplace_id"] = "ATVPDKIKX0DER",
        ["star_rating"] = 5,
        ["review_date"] = "2024-02-29T23:59:59.123+05:30",
    };

    public static byte[] Bytes(JsonNode node) => Encoding.UTF8.GetBytes(node.ToJsonString());

    public static ReviewParseResult Parse(JsonNode node, SourceRecord? source = null) =>
        ReviewParser.Parse(Bytes(node), source ?? Source);

    public static ReviewParseResult Parse(string json) => ReviewParser.Parse(Encoding.UTF8.GetBytes(json), Source);
}

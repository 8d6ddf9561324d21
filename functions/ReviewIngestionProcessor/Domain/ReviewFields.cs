namespace Pipelines.Reviews.Domain;

/// <summary>The review contract's field names (issue 3 / seed 000) and the ones the pipeline adds.</summary>
internal static class ReviewFields
{
    public const string ReviewId = "review_id";
    public const string ReviewerId = "reviewer_id";
    public const string ProductId = "product_id";
    public const string MarketplaceId = "marketplace_id";
    public const string StarRating = "star_rating";
    public const string ReviewDate = "review_date";
    public const string ReviewTitle = "review_title";
    public const string ReviewText = "review_text";
    public const string ProductCategory = "product_category";
    public const string HelpfulVotes = "helpful_votes";
    public const string VerifiedPurchase = "verified_purchase";

    public const string IngestionTimestamp = "ingestion_timestamp";
    public const string SourceSequenceNumber = "source_sequence_number";
    public const string SourceShardId = "source_shard_id";

    public static readonly string[] RequiredStrings = [ReviewId, ReviewerId, ProductId, MarketplaceId];

    public static readonly string[] OptionalStrings = [ReviewTitle, ReviewText, ProductCategory];

    /// <summary>Set by the pipeline; a value arriving in the payload is replaced, never trusted.</summary>
    public static bool IsPipelineOwned(string name) =>
        name is IngestionTimestamp or SourceSequenceNumber or SourceShardId;
}

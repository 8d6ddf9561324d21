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

    /// <summary>The fields the pipeline knows by name, indexed by <see cref="KnownField"/>.</summary>
    public static readonly string[] Known =
    [
        ReviewId, ReviewerId, ProductId, MarketplaceId, StarRating, ReviewDate,
        ReviewTitle, ReviewText, ProductCategory, HelpfulVotes, VerifiedPurchase,
        IngestionTimestamp, SourceSequenceNumber, SourceShardId,
    ];

    private static readonly byte[][] KnownUtf8 = [.. Known.Select(System.Text.Encoding.UTF8.GetBytes)];

    /// <summary>
    /// Which known field an (unescaped, UTF-8) name is; <see cref="KnownField.None"/> for any other. Called for every
    /// field of every review, so it looks only at names of the right length.
    /// </summary>
    public static KnownField Classify(ReadOnlySpan<byte> name) => name.Length switch
    {
        9 => Match(name, KnownField.ReviewId),
        10 => Match(name, KnownField.ProductId),
        11 => Match(name, KnownField.ReviewerId, KnownField.StarRating, KnownField.ReviewDate, KnownField.ReviewText),
        12 => Match(name, KnownField.ReviewTitle),
        13 => Match(name, KnownField.HelpfulVotes),
        14 => Match(name, KnownField.MarketplaceId),
        15 => Match(name, KnownField.SourceShardId),
        16 => Match(name, KnownField.ProductCategory),
        17 => Match(name, KnownField.VerifiedPurchase),
        19 => Match(name, KnownField.IngestionTimestamp),
        22 => Match(name, KnownField.SourceSequenceNumber),
        _ => KnownField.None,
    };

    /// <summary>Set by the pipeline; a value arriving in the payload is replaced, never trusted.</summary>
    public static bool IsPipelineOwned(KnownField field) => field >= KnownField.IngestionTimestamp;

    /// <summary>Optional contract fields: an explicit null means "not given" (defaults fill in what has one).</summary>
    public static bool IsOptional(KnownField field) =>
        field is KnownField.HelpfulVotes or KnownField.VerifiedPurchase
            or KnownField.ReviewTitle or KnownField.ReviewText or KnownField.ProductCategory;

    private static KnownField Match(ReadOnlySpan<byte> name, params ReadOnlySpan<KnownField> candidates)
    {
        foreach (var field in candidates)
        {
            if (name.SequenceEqual(KnownUtf8[(int)field])) return field;
        }
        return KnownField.None;
    }
}

/// <summary>The review contract's fields, then the pipeline's own, in the order <see cref="ReviewFields.Known"/> lists them.</summary>
internal enum KnownField
{
    None = -1,
    ReviewId,
    ReviewerId,
    ProductId,
    MarketplaceId,
    StarRating,
    ReviewDate,
    ReviewTitle,
    ReviewText,
    ProductCategory,
    HelpfulVotes,
    VerifiedPurchase,
    IngestionTimestamp,
    SourceSequenceNumber,
    SourceShardId,
}

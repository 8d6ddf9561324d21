namespace Pipelines.Reviews.Domain;

/// <summary>
/// One validated review as it will be stored: every source field plus the pipeline's own, as the DynamoDB JSON of
/// the item (<c>{"review_id":{"S":"R1"},"star_rating":{"N":"4"},...}</c>), which is what a BatchWriteItem put carries.
/// </summary>
/// <param name="sizeBytes">The item's size as DynamoDB counts it against the 400 KB limit.</param>
internal sealed class ReviewItem(string reviewId, ReadOnlyMemory<byte> json, int sizeBytes)
{
    public string ReviewId { get; } = reviewId;

    public ReadOnlyMemory<byte> Json { get; } = json;

    public int SizeBytes { get; } = sizeBytes;

    /// <summary>The item read back as domain values, in stored order (for tests and diagnostics; the write path never decodes).</summary>
    public IReadOnlyList<KeyValuePair<string, ItemValue>> Attributes => ItemJson.ReadAttributes(Json.Span);

    public ItemValue? this[string name] =>
        Attributes.FirstOrDefault(a => string.Equals(a.Key, name, StringComparison.Ordinal)).Value;
}

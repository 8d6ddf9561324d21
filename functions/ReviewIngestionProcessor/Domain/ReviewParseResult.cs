namespace Pipelines.Reviews.Domain;

/// <summary>Either the item to store or the reason the record can never be stored.</summary>
internal readonly record struct ReviewParseResult(ReviewItem? Item, string? RejectReason)
{
    public static ReviewParseResult Accept(ReviewItem item) => new(item, null);

    public static ReviewParseResult Reject(string reason) => new(null, reason);
}

namespace Pipelines.Reviews.Domain;

/// <summary>One validated review as it will be stored: every source field plus the pipeline's own.</summary>
internal sealed record ReviewItem(string ReviewId, IReadOnlyList<KeyValuePair<string, ItemValue>> Attributes, int SizeBytes)
{
    public ItemValue? this[string name] =>
        Attributes.FirstOrDefault(a => string.Equals(a.Key, name, StringComparison.Ordinal)).Value;
}

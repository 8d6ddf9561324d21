namespace Pipelines.LocalCloud.S3Notifications;

/// <summary>One queue configuration of a bucket's notification configuration: events, prefix/suffix filter, target queue.</summary>
public sealed record S3NotificationRule(
    string Id, string Bucket, string QueueName, IReadOnlyList<string> Events, string FilterPrefix, string FilterSuffix)
{
    /// <summary>AWS's matching: "s3:ObjectCreated:*" covers every ObjectCreated event; filters apply to the raw key.</summary>
    public bool Matches(string bucket, string eventName, string key) =>
        bucket == Bucket &&
        key.StartsWith(FilterPrefix, StringComparison.Ordinal) &&
        key.EndsWith(FilterSuffix, StringComparison.Ordinal) &&
        Events.Any(pattern => EventMatches(pattern, eventName));

    private static bool EventMatches(string pattern, string eventName)
    {
        var p = pattern.StartsWith("s3:", StringComparison.Ordinal) ? pattern[3..] : pattern;
        return p.EndsWith(":*", StringComparison.Ordinal)
            ? eventName.StartsWith(p[..^1], StringComparison.Ordinal)
            : eventName == p;
    }
}

namespace Pipelines.Reviews.Storage;

internal enum ItemWriteStatus
{
    /// <summary>Not known to be stored (retries exhausted, throttled, out of time): the record must be redelivered.
    /// First, so a result nobody set is never mistaken for success.</summary>
    Failed,

    /// <summary>DynamoDB acknowledged the put.</summary>
    Written,

    /// <summary>DynamoDB refused this item itself (ValidationException); retrying can never help.</summary>
    Rejected,
}

internal readonly record struct ItemWriteResult(ItemWriteStatus Status, string? Reason = null)
{
    public static readonly ItemWriteResult Written = new(ItemWriteStatus.Written);

    public static ItemWriteResult Failed(string reason) => new(ItemWriteStatus.Failed, reason);

    public static ItemWriteResult Rejected(string reason) => new(ItemWriteStatus.Rejected, reason);
}

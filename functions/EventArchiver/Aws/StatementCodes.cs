namespace Pipelines.Events.Aws;

/// <summary>What the error codes of a BatchExecuteStatement statement (BatchStatementError.Code) mean for a claim.</summary>
internal static class StatementCodes
{
    /// <summary>The INSERT was refused because an item with the key exists: someone holds the uuid.</summary>
    public static bool IsHeld(string code) => code is "DuplicateItem" or "ConditionalCheckFailed";

    /// <summary>The statement may succeed if sent again (throttling, a server fault, a conflicting transaction).</summary>
    public static bool IsRetryable(string code) =>
        code is "ThrottlingError" or "ProvisionedThroughputExceeded" or "RequestLimitExceeded" or "InternalServerError" or "TransactionConflict";
}

using Pipelines.Shared.Events;

namespace Pipelines.Reviews;

/// <summary>
/// What one invocation did with its records; every record is in exactly one of the counts. RejectsDeferred: invalid
/// records after the first failed one, rejected by the redelivery that starts there rather than by this attempt.
/// </summary>
internal sealed record ReviewBatchOutcome(
    BatchResponse Response,
    int Received,
    int Written,
    int Duplicates,
    int Rejected,
    int Failed,
    int RejectsDeferred,
    string? RejectObjectName);

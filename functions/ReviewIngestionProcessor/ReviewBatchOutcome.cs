using Pipelines.Shared.Events;

namespace Pipelines.Reviews;

/// <summary>What one invocation did with its records; every record is in exactly one of the counts.</summary>
internal sealed record ReviewBatchOutcome(
    BatchResponse Response,
    int Received,
    int Written,
    int Duplicates,
    int Rejected,
    int Failed,
    string? RejectObjectName);

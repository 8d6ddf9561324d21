using Pipelines.Shared.Events;

namespace Pipelines.Counties;

/// <summary>What one invocation did. On failure nothing counts as done: the whole batch is redelivered.</summary>
internal sealed record CountyBatchOutcome(
    BatchResponse Response,
    int Received,
    int Counted,
    int Rejected,
    int Failed,
    IReadOnlyList<Domain.CountyBatchCount> Counts,
    string? RejectObjectName);

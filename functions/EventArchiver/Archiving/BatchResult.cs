using Pipelines.Shared.Events;

namespace Pipelines.Events.Archiving;

/// <summary>The response for Lambda plus what the invocation did, for metrics and the log.</summary>
internal sealed record BatchResult
{
    public required BatchResponse Response { get; init; }

    public int Received { get; init; }

    /// <summary>Invalid records stored under the rejects prefix by this invocation.</summary>
    public int Rejected { get; init; }

    /// <summary>Invalid records after the first failed one: the redelivery that starts there rejects them.</summary>
    public int RejectsDeferred { get; init; }

    /// <summary>First occurrences written under events/ by this invocation.</summary>
    public int EventsWritten { get; init; }

    /// <summary>Later distinct records with a known uuid written under duplicated/ by this invocation.</summary>
    public int DuplicatesWritten { get; init; }

    /// <summary>Redelivered records an earlier attempt had already archived.</summary>
    public int AlreadyArchived { get; init; }

    /// <summary>Records not durably handled; the response asks Lambda to retry from the first of them.</summary>
    public int Failed { get; init; }

    public int ObjectsWritten { get; init; }

    public IReadOnlyDictionary<string, int> RejectedByReason { get; init; } = new Dictionary<string, int>();

    /// <summary>Now minus the earliest arrival in the batch: how far behind the stream the archive is.</summary>
    public TimeSpan MaxProcessingLatency { get; init; }

    public IReadOnlyList<ArchiveError> Errors { get; init; } = [];

    /// <summary>Share of this invocation's newly archived records that were duplicates, in percent (0 when none).</summary>
    public double DuplicateRatePercent =>
        EventsWritten + DuplicatesWritten == 0 ? 0 : 100.0 * DuplicatesWritten / (EventsWritten + DuplicatesWritten);
}

using Pipelines.Events.Domain;

namespace Pipelines.Events.Archiving;

internal enum RecordStatus
{
    /// <summary>Not durably archived in this invocation: must be retried.</summary>
    Failed,

    /// <summary>Written by this invocation.</summary>
    Written,

    /// <summary>An earlier attempt already wrote it (a redelivery); nothing was written.</summary>
    AlreadyArchived,
}

/// <summary>What happened to each record (same order as the input) and what the invocation cost.</summary>
internal sealed class ArchiveOutcome
{
    public ArchiveOutcome(RecordStatus[] statuses, ArchiveKind?[] kinds, int objectsWritten, IReadOnlyList<ArchiveError> errors)
    {
        Statuses = statuses;
        Kinds = kinds;
        ObjectsWritten = objectsWritten;
        Errors = errors;
    }

    public IReadOnlyList<RecordStatus> Statuses { get; }

    /// <summary>Events or Duplicated once a record was classified; null when it failed before that.</summary>
    public IReadOnlyList<ArchiveKind?> Kinds { get; }

    public int ObjectsWritten { get; }

    public IReadOnlyList<ArchiveError> Errors { get; }

    public int Count(RecordStatus status, ArchiveKind kind)
    {
        var n = 0;
        for (var i = 0; i < Statuses.Count; i++)
            if (Statuses[i] == status && Kinds[i] == kind) n++;
        return n;
    }
}

/// <summary>A sink failure that survived the in-invocation retries, and how many records it held back.</summary>
internal sealed record ArchiveError(string Stage, int Records, Exception Exception);

using Pipelines.Events.Domain;

namespace Pipelines.Events.Archiving;

/// <summary>
/// Durable per-uuid claims and per-record placements (DynamoDB in production, a dictionary in tests).
/// Every method must be atomic per item; each claim of <see cref="ClaimAsync"/> is a compare-and-set.
/// </summary>
internal interface IClaimStore
{
    /// <summary>The most claims one <see cref="ClaimAsync"/> call takes (DynamoDB: 25 statements per batch).</summary>
    int MaxClaimsPerCall { get; }

    /// <summary>
    /// Claims each attempt's uuid for its claimant if nobody holds it, or confirms it when the claimant already does
    /// (a redelivery). Returns one outcome per attempt, in order: won (with the object an earlier attempt planned the
    /// record into, if any), lost (another record holds the uuid), refused (someone holds it and the store did not
    /// say who: see <see cref="DecideRefusedAsync"/>), or failed (this claim could not be decided).
    /// Throws when the call as a whole failed; the uuids of one call are distinct.
    /// </summary>
    Task<IReadOnlyList<ClaimOutcome>> ClaimAsync(
        IReadOnlyList<ClaimAttempt> attempts, long expiresAtEpochSeconds, CancellationToken cancellationToken);

    /// <summary>
    /// Decides claims <see cref="ClaimAsync"/> answered as refused, any number of them (a round's worth, from several
    /// calls; distinct uuids), by reading who holds each uuid: won iff the holder is the claimant, else lost. A uuid
    /// whose holder is gone by then (TTL) is claimed again, never guessed. One outcome per attempt, in order, never
    /// refused; throws when the read failed as a whole.
    /// </summary>
    Task<IReadOnlyList<ClaimOutcome>> DecideRefusedAsync(
        IReadOnlyList<ClaimAttempt> refused, long expiresAtEpochSeconds, CancellationToken cancellationToken);

    /// <summary>The objects earlier attempts planned these duplicate records into (records never planned are absent).</summary>
    Task<IReadOnlyDictionary<RecordId, string>> GetDuplicatePlacementsAsync(
        IReadOnlyList<DuplicateRecord> duplicates, CancellationToken cancellationToken);

    /// <summary>The most placements one <see cref="SavePlacementsAsync"/> call is given (DynamoDB: 25 puts per batch).</summary>
    int MaxPlacementsPerCall { get; }

    /// <summary>Durably records which object each record is about to be written into (before the write).</summary>
    Task SavePlacementsAsync(IReadOnlyList<Placement> placements, long expiresAtEpochSeconds, CancellationToken cancellationToken);
}

/// <summary>One record asking to hold <paramref name="UuidKey"/>.</summary>
internal readonly record struct ClaimAttempt(string UuidKey, RecordId Claimant);

internal readonly record struct DuplicateRecord(string UuidKey, RecordId Id);

internal readonly record struct Placement(string UuidKey, RecordId Id, ArchiveKind Kind, string ObjectKey);

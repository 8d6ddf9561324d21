using Pipelines.Events.Domain;

namespace Pipelines.Events.Archiving;

/// <summary>
/// Durable per-uuid claims and per-record placements (DynamoDB in production, a dictionary in tests).
/// Every method must be atomic per item; <see cref="ClaimAsync"/> is a compare-and-set.
/// </summary>
internal interface IClaimStore
{
    /// <summary>
    /// Claims <paramref name="uuidKey"/> for <paramref name="claimant"/> if nobody holds it, or confirms it when the
    /// claimant already does (a redelivery). Returns whether the claimant holds it and, if so, the object it was
    /// planned into by an earlier attempt.
    /// </summary>
    Task<ClaimResult> ClaimAsync(string uuidKey, RecordId claimant, long expiresAtEpochSeconds, CancellationToken cancellationToken);

    /// <summary>The objects earlier attempts planned these duplicate records into (records never planned are absent).</summary>
    Task<IReadOnlyDictionary<RecordId, string>> GetDuplicatePlacementsAsync(
        IReadOnlyList<DuplicateRecord> duplicates, CancellationToken cancellationToken);

    /// <summary>Durably records which object each record is about to be written into (before the write).</summary>
    Task SavePlacementsAsync(IReadOnlyList<Placement> placements, long expiresAtEpochSeconds, CancellationToken cancellationToken);
}

/// <param name="Won">The claimant holds the uuid: the record is the uuid's first occurrence.</param>
/// <param name="Placement">Object key an earlier attempt planned this (winning) record into, if any.</param>
internal readonly record struct ClaimResult(bool Won, string? Placement);

internal readonly record struct DuplicateRecord(string UuidKey, RecordId Id);

internal readonly record struct Placement(string UuidKey, RecordId Id, ArchiveKind Kind, string ObjectKey);

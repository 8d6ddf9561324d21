using Pipelines.Events.Archiving;
using Pipelines.Events.Domain;

namespace Pipelines.Tests.EventArchiver.Support;

/// <summary>
/// The claim table as a dictionary with DynamoDB's per-item atomicity: the claim is a compare-and-set under a lock,
/// exactly as the conditional write <c>attribute_not_exists(event_uuid) OR claimed_by = :me</c>.
/// </summary>
internal sealed class InMemoryClaimStore : IClaimStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ClaimItem> _claims = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Uuid, RecordId Id), string> _duplicates = [];

    public InMemoryClaimStore(Faults? faults = null) => Faults = faults ?? new Faults();

    public Faults Faults { get; }

    public int ClaimCalls { get; private set; }

    public int PlacementsSaved { get; private set; }

    internal IReadOnlyDictionary<string, ClaimItem> Claims
    {
        get { lock (_gate) return new Dictionary<string, ClaimItem>(_claims, StringComparer.Ordinal); }
    }

    internal sealed record ClaimItem(RecordId ClaimedBy, long ExpiresAt, string? ObjectKey);

    Task<ClaimResult> IClaimStore.ClaimAsync(string uuidKey, RecordId claimant, long expiresAtEpochSeconds, CancellationToken cancellationToken) =>
        Faults.RunAsync(SinkOp.Claim, uuidKey, () =>
        {
            lock (_gate)
            {
                ClaimCalls++;
                if (_claims.TryGetValue(uuidKey, out var item) && item.ClaimedBy != claimant)
                    return new ClaimResult(false, null);
                _claims[uuidKey] = new ClaimItem(claimant, expiresAtEpochSeconds, item?.ObjectKey);
                return new ClaimResult(true, item?.ObjectKey);
            }
        }, cancellationToken);

    Task<IReadOnlyDictionary<RecordId, string>> IClaimStore.GetDuplicatePlacementsAsync(
        IReadOnlyList<DuplicateRecord> duplicates, CancellationToken cancellationToken) =>
        Faults.RunAsync(SinkOp.LookupDuplicates, $"{duplicates.Count} records", () =>
        {
            lock (_gate)
            {
                IReadOnlyDictionary<RecordId, string> found = duplicates
                    .Where(d => _duplicates.ContainsKey((d.UuidKey, d.Id)))
                    .ToDictionary(d => d.Id, d => _duplicates[(d.UuidKey, d.Id)]);
                return found;
            }
        }, cancellationToken);

    Task IClaimStore.SavePlacementsAsync(IReadOnlyList<Placement> placements, long expiresAtEpochSeconds, CancellationToken cancellationToken) =>
        Faults.RunAsync(SinkOp.SavePlacements, placements[0].ObjectKey, () =>
        {
            lock (_gate)
            {
                foreach (var p in placements)
                {
                    PlacementsSaved++;
                    if (p.Kind == ArchiveKind.Duplicated)
                    {
                        _duplicates[(p.UuidKey, p.Id)] = p.ObjectKey;
                        continue;
                    }
                    // The archiver must only plan records that hold their uuid's claim.
                    if (!_claims.TryGetValue(p.UuidKey, out var item) || item.ClaimedBy != p.Id)
                        throw new InvalidOperationException($"placement for {p.Id} which does not hold {p.UuidKey}");
                    _claims[p.UuidKey] = item with { ObjectKey = p.ObjectKey };
                }
                return true;
            }
        }, cancellationToken);
}

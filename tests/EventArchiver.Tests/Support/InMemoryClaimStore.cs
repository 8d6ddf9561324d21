using Pipelines.Events.Archiving;
using Pipelines.Events.Domain;

namespace Pipelines.Tests.EventArchiver.Support;

/// <summary>
/// The claim table as a dictionary with DynamoDB's per-item atomicity: each claim is a compare-and-set under a lock,
/// exactly as the INSERT-if-absent plus the read of the holder: the claimant holds the uuid iff nobody did or it did.
/// A call takes up to <see cref="MaxClaimsPerCall"/> claims, like BatchExecuteStatement.
/// </summary>
internal sealed class InMemoryClaimStore : IClaimStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ClaimItem> _claims = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Uuid, RecordId Id), string> _duplicates = [];

    public InMemoryClaimStore(Faults? faults = null, int maxClaimsPerCall = 25)
    {
        Faults = faults ?? new Faults();
        MaxClaimsPerCall = maxClaimsPerCall;
    }

    public Faults Faults { get; }

    public int MaxClaimsPerCall { get; }

    public int MaxPlacementsPerCall => 25;

    /// <summary>Claim calls that reached the table, and the claims they carried.</summary>
    public int ClaimCalls { get; private set; }

    public int ClaimsAttempted { get; private set; }

    public int PlacementsSaved { get; private set; }

    internal IReadOnlyDictionary<string, ClaimItem> Claims
    {
        get { lock (_gate) return new Dictionary<string, ClaimItem>(_claims, StringComparer.Ordinal); }
    }

    internal sealed record ClaimItem(RecordId ClaimedBy, long ExpiresAt, string? ObjectKey);

    Task<IReadOnlyList<ClaimOutcome>> IClaimStore.ClaimAsync(
        IReadOnlyList<ClaimAttempt> attempts, long expiresAtEpochSeconds, CancellationToken cancellationToken)
    {
        if (attempts.Count > MaxClaimsPerCall) throw new ArgumentException($"{attempts.Count} claims in one call; the limit is {MaxClaimsPerCall}");
        if (attempts.Select(a => a.UuidKey).Distinct(StringComparer.Ordinal).Count() != attempts.Count)
            throw new ArgumentException("a call must not claim one uuid twice");
        return Faults.RunBatchAsync<IReadOnlyList<ClaimOutcome>>(SinkOp.Claim, [.. attempts.Select(a => a.UuidKey)], refused =>
        {
            lock (_gate)
            {
                ClaimCalls++;
                ClaimsAttempted += attempts.Count;
                var outcomes = new ClaimOutcome[attempts.Count];
                for (var i = 0; i < attempts.Count; i++)
                {
                    var (uuid, claimant) = attempts[i];
                    if (i == refused)
                    {
                        outcomes[i] = ClaimOutcome.Failed(new InvalidOperationException($"injected permanent failure of the claim of {uuid}"));
                        continue;
                    }
                    if (_claims.TryGetValue(uuid, out var item))
                    {
                        outcomes[i] = item.ClaimedBy == claimant ? ClaimOutcome.Won(item.ObjectKey) : ClaimOutcome.Lost;
                        continue;
                    }
                    _claims[uuid] = new ClaimItem(claimant, expiresAtEpochSeconds, null);
                    outcomes[i] = ClaimOutcome.Won(null);
                }
                return outcomes;
            }
        }, cancellationToken);
    }

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

using Pipelines.Events.Archiving;
using Pipelines.Events.Domain;

namespace Pipelines.Tests.EventArchiver.Support;

/// <summary>
/// The claim table as a dictionary with DynamoDB's per-item atomicity: each claim is a compare-and-set under a lock,
/// exactly as the INSERT-if-absent plus the read of the holder: the claimant holds the uuid iff nobody did or it did.
/// A call takes up to <see cref="MaxClaimsPerCall"/> claims, like BatchExecuteStatement. When it refuses without the
/// holder (as DynamoDB may answer an INSERT), a held uuid is answered "refused" and decided by the read of holders.
/// </summary>
internal sealed class InMemoryClaimStore : IClaimStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ClaimItem> _claims = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Uuid, RecordId Id), string> _duplicates = [];

    private readonly bool _refusesWithoutHolder;

    public InMemoryClaimStore(Faults? faults = null, int maxClaimsPerCall = 25, bool refusesWithoutHolder = false)
    {
        Faults = faults ?? new Faults();
        MaxClaimsPerCall = maxClaimsPerCall;
        _refusesWithoutHolder = refusesWithoutHolder;
    }

    public Faults Faults { get; }

    public int MaxClaimsPerCall { get; }

    public int MaxPlacementsPerCall => 25;

    /// <summary>Claim calls that reached the table, and the claims they carried.</summary>
    public int ClaimCalls { get; private set; }

    public int ClaimsAttempted { get; private set; }

    public int PlacementsSaved { get; private set; }

    /// <summary>Reads of refused claims' holders that reached the table, and the claims they decided.</summary>
    public List<int> HolderReads { get; } = [];

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
                    outcomes[i] = _refusesWithoutHolder && _claims.ContainsKey(uuid)
                        ? ClaimOutcome.Refused
                        : ClaimLocked(uuid, claimant, expiresAtEpochSeconds);
                }
                return outcomes;
            }
        }, cancellationToken);
    }

    Task<IReadOnlyList<ClaimOutcome>> IClaimStore.DecideRefusedAsync(
        IReadOnlyList<ClaimAttempt> refused, long expiresAtEpochSeconds, CancellationToken cancellationToken)
    {
        if (refused.Select(a => a.UuidKey).Distinct(StringComparer.Ordinal).Count() != refused.Count)
            throw new ArgumentException("a read must not decide one uuid twice");
        return Faults.RunAsync<IReadOnlyList<ClaimOutcome>>(SinkOp.ReadHolders, $"{refused.Count} claims", () =>
        {
            lock (_gate)
            {
                HolderReads.Add(refused.Count);
                return [.. refused.Select(a => ClaimLocked(a.UuidKey, a.Claimant, expiresAtEpochSeconds))];
            }
        }, cancellationToken);
    }

    /// <summary>The compare-and-set, under the lock: the claimant holds the uuid iff nobody did or it did.</summary>
    private ClaimOutcome ClaimLocked(string uuid, RecordId claimant, long expiresAtEpochSeconds)
    {
        if (_claims.TryGetValue(uuid, out var item))
            return item.ClaimedBy == claimant ? ClaimOutcome.Won(item.ObjectKey) : ClaimOutcome.Lost;
        _claims[uuid] = new ClaimItem(claimant, expiresAtEpochSeconds, null);
        return ClaimOutcome.Won(null);
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

using Pipelines.Events.Domain;

namespace Pipelines.Events.Archiving;

/// <summary>
/// Where step 1 of <see cref="ExactlyOnceArchiver"/> stands in each uuid chain: round k asks for the k-th record of
/// every chain whose earlier records all lost. A chain is decided once a record wins (its later records are
/// duplicates without asking), its last record lost, or a claim failed (the rest of the chain waits with it).
/// Calls of one round touch disjoint chains, so they may decide them concurrently.
/// </summary>
internal sealed class ClaimRound
{
    private readonly UuidChains _chains;
    private readonly int[] _next; // per chain: the record being claimed, or the chain's length once it is decided
    private readonly List<int> _asking;
    private readonly bool[] _refused; // per chain: its current claim was refused without the holder in this round
    private int _refusedCount;

    public ClaimRound(UuidChains chains)
    {
        _chains = chains ?? throw new ArgumentNullException(nameof(chains));
        _next = new int[chains.Count];
        _refused = new bool[chains.Count];
        _asking = new List<int>(chains.Count);
        for (var c = 0; c < chains.Count; c++) _asking.Add(c);
    }

    /// <summary>The chains with a record to claim in this round.</summary>
    public IReadOnlyList<int> Asking => _asking;

    /// <summary>The record <paramref name="chain"/> claims in this round.</summary>
    public ArchiveWork Current(int chain) => _chains[chain][_next[chain]];

    /// <summary>Classifies the current record of <paramref name="chain"/> by its claim's outcome.</summary>
    public void Decide(int chain, bool won, string? placement)
    {
        var records = _chains[chain];
        var at = _next[chain];
        records[at].Kind = won ? ArchiveKind.Events : ArchiveKind.Duplicated;
        records[at].Placement = won ? placement : null;
        if (!won)
        {
            _next[chain] = at + 1;
            return;
        }
        // This record holds the uuid, so the chain's later records cannot: no need to ask.
        for (var i = at + 1; i < records.Count; i++) records[i].Kind = ArchiveKind.Duplicated;
        _next[chain] = records.Count;
    }

    /// <summary>
    /// Leaves the current record of <paramref name="chain"/> undecided until the holders of the round's refused
    /// claims are read together (<see cref="TakeRefused"/>).
    /// </summary>
    public void Refuse(int chain)
    {
        _refused[chain] = true;
        Interlocked.Increment(ref _refusedCount);
    }

    /// <summary>The chains refused in this round (in asking order), cleared for the next; empty when none were.</summary>
    public int[] TakeRefused()
    {
        if (_refusedCount == 0) return [];
        var refused = new int[_refusedCount];
        var at = 0;
        foreach (var chain in _asking)
        {
            if (!_refused[chain]) continue;
            _refused[chain] = false;
            refused[at++] = chain;
        }
        _refusedCount = 0;
        return refused;
    }

    /// <summary>Fails the current record of <paramref name="chain"/> and every later one; returns how many.</summary>
    public int FailFromCurrent(int chain)
    {
        var records = _chains[chain];
        var at = _next[chain];
        for (var i = at; i < records.Count; i++) records[i].Fail();
        _next[chain] = records.Count;
        return records.Count - at;
    }

    /// <summary>Moves to the next round: only chains still undecided keep asking.</summary>
    public void Next()
    {
        var kept = 0;
        for (var i = 0; i < _asking.Count; i++)
        {
            var chain = _asking[i];
            if (_next[chain] < _chains[chain].Count) _asking[kept++] = chain;
        }
        _asking.RemoveRange(kept, _asking.Count - kept);
    }
}

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Pipelines.Catalog.Domain;

internal enum LineOutcome
{
    Accepted,
    Blacklisted,
}

/// <summary>One group of a state with its key: where to find it (<see cref="ConsolidationState.Group"/>) and what it is.</summary>
internal readonly record struct GroupKey(string ContentType, string AccommodationId, int Index);

/// <summary>
/// The accommodations gathered so far. The handler keeps one per invocation plus one for the message being read; a
/// message's state is merged in only once the message was read completely, so a message that fails half-way
/// (read error, time running out) leaves no trace in the output and can simply be retried.
/// </summary>
internal sealed class ConsolidationState(ConsolidationContext context)
{
    // content type -> accommodation id -> index in _groups.
    private readonly Dictionary<string, Dictionary<string, int>> _byContentType = new(StringComparer.Ordinal);
    private readonly GroupStore _groups = new();
    // The parser hands out one shared string per partner and content type, so their ranking is worked out once and
    // then found by reference, instead of four dictionary lookups by content on every line.
    private readonly Dictionary<(string Partner, string ContentType), (bool Blacklisted, int Rank, int PartnerId)> _rankings = new(ReferencePairComparer.Instance);
    private (string? ContentType, Dictionary<string, int>? Groups) _lastGroups;
    private long _nextWasteCheck;

    public ConsolidationContext Context { get; } = context;

    public int GroupCount => _groups.Count;

    /// <summary>Every group with its key, in no particular order.</summary>
    public IEnumerable<GroupKey> Keys
    {
        get
        {
            foreach (var (contentType, groups) in _byContentType)
                foreach (var (accommodationId, index) in groups)
                    yield return new GroupKey(contentType, accommodationId, index);
        }
    }

    public IEnumerable<string> ContentTypes => _byContentType.Keys;

    /// <summary>The group at <paramref name="index"/> (see <see cref="Keys"/>); valid until the state changes.</summary>
    public ref readonly AccommodationGroup Group(int index) => ref _groups[index];

    /// <summary>Adds the record <paramref name="parser"/> just parsed successfully.</summary>
    public LineOutcome Add(CatalogLineParser parser, int objectOrdinal, long lineNumber, int messageIndex)
    {
        ArgumentNullException.ThrowIfNull(parser);
        var (blacklisted, rank, partnerId) = RankingOf(parser.PartnerId, parser.ContentType);
        if (blacklisted) return LineOutcome.Blacklisted;

        var contribution = new Contribution(rank, parser.UpdatedAtTicks, objectOrdinal, lineNumber, partnerId, messageIndex);
        _groups[IndexFor(parser.ContentType, parser.AccommodationId)].Offer(contribution, parser.Line, parser.Fields, Context.Values);
        return LineOutcome.Accepted;
    }

    /// <summary>
    /// Folds a finished message's state into this one. Groups this state lacks are taken over as they are (their
    /// tables and values stay where they are in the arena), and <paramref name="other"/> is left empty for the next message.
    /// </summary>
    public void MergeFrom(ConsolidationState other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (!ReferenceEquals(other.Context, Context)) throw new ArgumentException("States of different invocations cannot be merged.", nameof(other));
        foreach (var (contentType, theirs) in other._byContentType)
        {
            var ours = GroupsOf(contentType);
            foreach (var (accommodationId, theirIndex) in theirs)
            {
                ref var ourIndex = ref CollectionsMarshal.GetValueRefOrAddDefault(ours, accommodationId, out var exists);
                if (exists)
                {
                    _groups[ourIndex].MergeFrom(ref other._groups[theirIndex], Context.Values);
                    continue;
                }
                ourIndex = _groups.Add();
                _groups[ourIndex] = other._groups[theirIndex];
            }
        }
        other.Clear();
    }

    /// <summary>
    /// Forgets every group (a message that failed, or one just merged). The dictionaries and group chunks keep their
    /// capacity, so the next message's state does not grow them again: at a few hundred thousand accommodations,
    /// regrowing them per message made tens of megabytes of large-object garbage.
    /// </summary>
    public void Clear()
    {
        foreach (var groups in _byContentType.Values) groups.Clear();
        _groups.Clear();
    }

    /// <summary>
    /// Moves the tables and values still in use to a fresh arena when most of the arena is waste (values outranked
    /// since, messages that failed), so memory follows the output rather than the input. Call it on the batch's state
    /// only, when no staging state of the invocation holds groups. Returns whether it compacted.
    /// </summary>
    public bool CompactValuesIfWasteful()
    {
        var arena = Context.Values;
        // Compacting needs waste over both the live bytes and the minimum, so below twice either a scan is pointless.
        if (arena.HeldBytes < Math.Max(_nextWasteCheck, 2 * Context.MinimumWasteToCompact)) return false;
        long live = 0;
        for (var i = 0; i < _groups.Count; i++) live += _groups[i].LiveBytes(arena);
        var waste = arena.HeldBytes - live;
        var compact = waste > live && waste >= Context.MinimumWasteToCompact;
        if (compact)
        {
            var fresh = Context.NewArena();
            for (var i = 0; i < _groups.Count; i++) _groups[i].MoveValues(arena, fresh);
            Context.ReplaceValues(fresh);
        }
        // Likewise, not before the arena could be half waste: the scans stay a small share of the work.
        _nextWasteCheck = 2 * (compact ? Context.Values.HeldBytes : live);
        return compact;
    }

    private (bool Blacklisted, int Rank, int PartnerId) RankingOf(string partner, string contentType)
    {
        if (_rankings.TryGetValue((partner, contentType), out var known)) return known;
        var ranking = Context.Priorities.For(contentType);
        var blacklisted = ranking.IsBlacklisted(partner);
        known = (blacklisted, blacklisted ? 0 : ranking.RankOf(partner), blacklisted ? -1 : Context.PartnerIds.GetOrAdd(partner));
        // Strings the parser could not share (escaped values) are new on every line: keep the cache from growing with them.
        if (_rankings.Count >= Utf8StringInterner.MaxEntries) _rankings.Clear();
        _rankings.Add((partner, contentType), known);
        return known;
    }

    private int IndexFor(string contentType, ReadOnlySpan<char> accommodationId)
    {
        var groups = ReferenceEquals(_lastGroups.ContentType, contentType) ? _lastGroups.Groups! : GroupsOf(contentType);
        // One hash per line; the id becomes a string only when the accommodation is new.
        ref var index = ref CollectionsMarshal.GetValueRefOrAddDefault(groups.GetAlternateLookup<ReadOnlySpan<char>>(), accommodationId, out var exists);
        if (!exists) index = _groups.Add();
        return index;
    }

    private Dictionary<string, int> GroupsOf(string contentType)
    {
        if (!_byContentType.TryGetValue(contentType, out var groups))
            _byContentType.Add(contentType, groups = new Dictionary<string, int>(StringComparer.Ordinal));
        _lastGroups = (contentType, groups);
        return groups;
    }

    private sealed class ReferencePairComparer : IEqualityComparer<(string Partner, string ContentType)>
    {
        public static readonly ReferencePairComparer Instance = new();

        public bool Equals((string Partner, string ContentType) x, (string Partner, string ContentType) y) =>
            ReferenceEquals(x.Partner, y.Partner) && ReferenceEquals(x.ContentType, y.ContentType);

        public int GetHashCode((string Partner, string ContentType) obj) =>
            HashCode.Combine(RuntimeHelpers.GetHashCode(obj.Partner), RuntimeHelpers.GetHashCode(obj.ContentType));
    }
}

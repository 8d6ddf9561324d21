using System.Runtime.CompilerServices;

namespace Pipelines.Catalog.Domain;

internal enum LineOutcome
{
    Accepted,
    Blacklisted,
}

/// <summary>One group of a state with its key: where to find it (<see cref="ConsolidationState.Group"/>) and what it is.</summary>
internal readonly record struct GroupKey(string ContentType, string AccommodationId, int Index);

/// <summary>
/// The accommodations gathered so far (one per invocation). Records are added in place, but a message is read between
/// <see cref="BeginMessage"/> and <see cref="CommitMessage"/>, and <see cref="DiscardMessage"/> undoes everything it
/// added, so a message that fails half-way (read error, time running out) leaves no trace in the output and can simply
/// be retried. Undoing keeps a copy of each group from before the message the first time the message touches it; most
/// lines create a new group, which needs no copy (it is simply dropped).
/// </summary>
internal sealed class ConsolidationState
{
    // (content type, accommodation id) -> index in _groups, and each index's key.
    private readonly GroupIndex _index;
    private readonly GroupStore _groups;
    // The parser hands out one shared string per partner and content type, so their ranking is worked out once and
    // then found by reference, instead of four dictionary lookups by content on every line.
    private readonly Dictionary<(string Partner, string ContentType), (bool Blacklisted, int Rank, int PartnerId)> _rankings = new(ReferencePairComparer.Instance);
    private long _nextWasteCheck;
    // The message being read: groups at or past _messageStart are its own; _undo holds older groups as they were before it.
    private bool _messageOpen;
    private int _messageStart;
    private readonly List<(int Index, AccommodationGroup Before)> _undo = [];

    /// <summary>An empty state, in the arrays a previous state left in the context's <see cref="ConsolidationContext.Reserve"/> if any.</summary>
    public ConsolidationState(ConsolidationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Context = context;
        var reused = context.Reserve?.Take();
        _index = new GroupIndex(reused?.Slots, reused?.Keys);
        _groups = new GroupStore(reused?.GroupChunks);
    }

    public ConsolidationContext Context { get; }

    public int GroupCount => _groups.Count;

    /// <summary>Every group with its key, in the order they were added.</summary>
    public IEnumerable<GroupKey> Keys
    {
        get
        {
            for (var i = 0; i < _index.Count; i++) yield return new GroupKey(ContentTypes[_index.ContentTypeIdOf(i)], _index.AccommodationIdOf(i).ToString(), i);
        }
    }

    /// <summary>Every content type seen, by id (see <see cref="ContentTypeIdOf"/>).</summary>
    public IReadOnlyList<string> ContentTypes => _index.ContentTypes;

    /// <summary>The id of the content type of group <paramref name="index"/> (an index into <see cref="ContentTypes"/>).</summary>
    public int ContentTypeIdOf(int index) => _index.ContentTypeIdOf(index);

    /// <summary>The id of group <paramref name="index"/>, valid until the state changes (ids are not kept as strings).</summary>
    public ReadOnlySpan<char> AccommodationIdOf(int index) => _index.AccommodationIdOf(index);

    /// <summary>The <see cref="IdHead"/> of group <paramref name="index"/>'s id, kept since it was added.</summary>
    public (ulong High, ulong Low) IdHeadOf(int index) => _index.IdHeadOf(index);

    /// <summary>The group at <paramref name="index"/> (0 to <see cref="GroupCount"/> - 1); valid until the state changes.</summary>
    public ref readonly AccommodationGroup Group(int index) => ref _groups[index];

    /// <summary>Adds the record <paramref name="parser"/> just parsed successfully.</summary>
    public LineOutcome Add(CatalogLineParser parser, int objectOrdinal, long lineNumber, int messageIndex)
    {
        ArgumentNullException.ThrowIfNull(parser);
        var (blacklisted, rank, partnerId) = RankingOf(parser.PartnerId, parser.ContentType);
        if (blacklisted) return LineOutcome.Blacklisted;

        var contribution = new Contribution(rank, parser.UpdatedAtTicks, objectOrdinal, lineNumber, partnerId, messageIndex);
        var index = IndexFor(parser.ContentType, parser.AccommodationId);
        ref var group = ref _groups[index];
        // A group from before the open message, touched by it for the first time: keep it as it was, for an undo.
        if (_messageOpen && index < _messageStart && !group.HasMessage(messageIndex)) _undo.Add((index, group.CopyForUndo(Context.Values)));
        group.Offer(contribution, parser.Line, parser.Fields, Context.Values);
        return LineOutcome.Accepted;
    }

    /// <summary>Starts a message: what is added until <see cref="CommitMessage"/> can be undone with <see cref="DiscardMessage"/>.</summary>
    public void BeginMessage()
    {
        if (_messageOpen) throw new InvalidOperationException("A message is already open.");
        _messageOpen = true;
        _messageStart = _groups.Count;
        _undo.Clear();
    }

    /// <summary>Keeps what the open message added (it was read completely).</summary>
    public void CommitMessage()
    {
        if (!_messageOpen) return;
        foreach (var (_, before) in _undo) before.ReleaseTable(Context.Values);
        _undo.Clear();
        _messageOpen = false;
    }

    /// <summary>Undoes everything the open message added: it failed and will be redelivered.</summary>
    public void DiscardMessage()
    {
        if (!_messageOpen) return;
        var arena = Context.Values;
        foreach (var (index, before) in _undo)
        {
            _groups[index].ReleaseTable(arena);
            _groups[index] = before;
        }
        _undo.Clear();
        for (var i = _messageStart; i < _groups.Count; i++) _groups[i].ReleaseTable(arena);
        _index.Truncate(_messageStart);
        _groups.Truncate(_messageStart);
        _messageOpen = false;
    }

    /// <summary>
    /// Forgets every group, handing the large arrays to the context's <see cref="ConsolidationContext.Reserve"/> for
    /// the next invocation. For when the output has been spooled: the state is empty afterwards.
    /// </summary>
    public void Release()
    {
        _undo.Clear();
        _messageOpen = false;
        var (slots, keys) = _index.Release();
        var chunks = _groups.Release();
        // Arrays still at their first size are not worth keeping.
        if (Context.Reserve is { } reserve && chunks.Count > 0) reserve.Give(new StateReserve.Arrays(slots, keys, chunks));
    }

    /// <summary>
    /// Moves the tables and values still in use to a fresh arena when most of the arena is waste (values outranked
    /// since, messages that failed), so memory follows the output rather than the input. Call it between messages
    /// (the undo copies of an open message would be left in the old arena). Returns whether it compacted.
    /// </summary>
    public bool CompactValuesIfWasteful()
    {
        if (_messageOpen) throw new InvalidOperationException("Values cannot be compacted while a message is open.");
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
        // One hash per line; the id becomes a string only when the accommodation is new.
        var index = _index.FindOrAdd(contentType, accommodationId, out var added);
        if (added) _groups.Add();
        return index;
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

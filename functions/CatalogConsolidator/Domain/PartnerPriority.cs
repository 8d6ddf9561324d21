namespace Pipelines.Catalog.Domain;

/// <summary>The ranking rules for one content type: listed partners in priority order, and partners to drop.</summary>
internal sealed class PartnerRanking
{
    private readonly Dictionary<string, int> _rank;
    private readonly HashSet<string> _blacklisted;

    public PartnerRanking(IEnumerable<string> partnersByPriority, IEnumerable<string> blacklisted)
    {
        ArgumentNullException.ThrowIfNull(partnersByPriority);
        ArgumentNullException.ThrowIfNull(blacklisted);
        Partners = [.. partnersByPriority];
        _rank = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Partners.Count; i++) _rank.TryAdd(Partners[i], i); // first mention wins
        _blacklisted = new HashSet<string>(blacklisted, StringComparer.Ordinal);
    }

    /// <summary>No row for a content type: every partner ranks equal and none is dropped.</summary>
    public static PartnerRanking AllEqual { get; } = new([], []);

    public IReadOnlyList<string> Partners { get; }

    public IReadOnlyCollection<string> Blacklisted => _blacklisted;

    public bool IsBlacklisted(string partnerId) => _blacklisted.Contains(partnerId);

    /// <summary>0 is the highest priority; every unlisted partner shares the rank just after the last listed one.</summary>
    public int RankOf(string partnerId) => _rank.TryGetValue(partnerId, out var r) ? r : Partners.Count;
}

/// <summary>Rankings for every content type (the whole <c>partner-priority</c> table).</summary>
internal sealed class PartnerPriorityBook
{
    private readonly Dictionary<string, PartnerRanking> _byContentType;

    public PartnerPriorityBook(IReadOnlyDictionary<string, PartnerRanking> byContentType)
    {
        ArgumentNullException.ThrowIfNull(byContentType);
        _byContentType = new Dictionary<string, PartnerRanking>(byContentType, StringComparer.Ordinal);
    }

    public static PartnerPriorityBook Empty { get; } = new(new Dictionary<string, PartnerRanking>());

    public IReadOnlyDictionary<string, PartnerRanking> ContentTypes => _byContentType;

    public PartnerRanking For(string contentType) =>
        _byContentType.TryGetValue(contentType, out var r) ? r : PartnerRanking.AllEqual;
}

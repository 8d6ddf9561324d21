namespace Pipelines.Catalog.Domain;

internal enum LineOutcome
{
    Accepted,
    Blacklisted,
}

/// <summary>
/// The accommodations gathered so far. The handler keeps one per invocation plus one per message being read; a
/// message's state is merged in only once the message was read completely, so a message that fails half-way
/// (read error, time running out) leaves no trace in the output and can simply be retried.
/// </summary>
internal sealed class ConsolidationState(ConsolidationContext context)
{
    private readonly Dictionary<string, Dictionary<string, AccommodationGroup>> _byContentType = new(StringComparer.Ordinal);

    public ConsolidationContext Context { get; } = context;

    public int GroupCount { get; private set; }

    /// <summary>Adds the record <paramref name="parser"/> just parsed successfully.</summary>
    public LineOutcome Add(CatalogLineParser parser, int objectOrdinal, long lineNumber, int messageIndex)
    {
        ArgumentNullException.ThrowIfNull(parser);
        var ranking = Context.Priorities.For(parser.ContentType);
        if (ranking.IsBlacklisted(parser.PartnerId)) return LineOutcome.Blacklisted;

        var contribution = new Contribution(
            ranking.RankOf(parser.PartnerId),
            parser.UpdatedAtTicks,
            objectOrdinal,
            lineNumber,
            Context.PartnerIds.GetOrAdd(parser.PartnerId),
            messageIndex);
        GroupFor(parser.ContentType, parser.AccommodationId).Offer(contribution, parser.Line, parser.Fields);
        return LineOutcome.Accepted;
    }

    /// <summary>Folds a finished message's state into this one.</summary>
    public void MergeFrom(ConsolidationState other)
    {
        ArgumentNullException.ThrowIfNull(other);
        foreach (var group in other.Groups) GroupFor(group.ContentType, group.AccommodationId).MergeFrom(group);
    }

    public IEnumerable<AccommodationGroup> Groups => _byContentType.Values.SelectMany(g => g.Values);

    private AccommodationGroup GroupFor(string contentType, string accommodationId)
    {
        if (!_byContentType.TryGetValue(contentType, out var groups))
            _byContentType.Add(contentType, groups = new Dictionary<string, AccommodationGroup>(StringComparer.Ordinal));
        if (!groups.TryGetValue(accommodationId, out var group))
        {
            groups.Add(accommodationId, group = new AccommodationGroup(contentType, accommodationId));
            GroupCount++;
        }
        return group;
    }
}

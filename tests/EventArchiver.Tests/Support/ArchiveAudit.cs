using System.Text;
using System.Text.Json;
using FluentAssertions;

namespace Pipelines.Tests.EventArchiver.Support;

/// <summary>Reads every archived line back and checks the exactly-once contract against what was sent.</summary>
internal sealed class ArchiveAudit
{
    private ArchiveAudit(List<ArchivedLine> lines) => Lines = lines;

    public List<ArchivedLine> Lines { get; }

    public IEnumerable<ArchivedLine> Events => Lines.Where(l => l.Key.StartsWith("events/", StringComparison.Ordinal));

    public IEnumerable<ArchivedLine> Duplicates => Lines.Where(l => l.Key.StartsWith("duplicated/", StringComparison.Ordinal));

    public static ArchiveAudit Of(InMemoryArchiveStore store)
    {
        var lines = new List<ArchivedLine>();
        foreach (var (key, body) in store.Objects)
        {
            var text = Encoding.UTF8.GetString(body);
            text.Should().EndWith("\n", $"every object is newline-delimited JSON ({key})");
            foreach (var line in text.TrimEnd('\n').Split('\n'))
            {
                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                lines.Add(new ArchivedLine(
                    key,
                    root.GetProperty("event_uuid").GetString()!,
                    root.GetProperty("n").GetInt32(),
                    root.GetProperty("event_type").GetString()!,
                    root.GetProperty("created_datetime").GetString()!,
                    line));
            }
        }
        return new ArchiveAudit(lines);
    }

    /// <param name="sent">Every distinct record sent: its number and uuid, in the order it entered its shard.</param>
    /// <param name="mayBeMissing">Records the mapping gave up on (on-failure destination): absent or once, never twice.</param>
    /// <param name="firstOccurrenceWins">Single shard: the uuid's earliest record must be the one under events/.</param>
    public void ShouldBeExactlyOnce(IReadOnlyList<(int N, string Uuid)> sent, ISet<int>? mayBeMissing = null, bool firstOccurrenceWins = true)
    {
        mayBeMissing ??= new HashSet<int>();
        Lines.GroupBy(l => l.N).Where(g => g.Count() > 1).Select(g => $"record n={g.Key} in {string.Join(", ", g.Select(l => l.Key))}")
            .Should().BeEmpty("no record may be archived twice");
        var archived = Lines.Select(l => l.N).ToHashSet();
        sent.Where(s => !mayBeMissing.Contains(s.N) && !archived.Contains(s.N)).Select(s => s.N)
            .Should().BeEmpty("every acknowledged record must be archived");

        foreach (var byUuid in sent.GroupBy(s => s.Uuid))
        {
            var events = Events.Where(l => l.Uuid == byUuid.Key).ToList();
            var present = byUuid.Where(s => archived.Contains(s.N)).ToList();
            if (present.Count == 0) continue;
            if (byUuid.Any(s => mayBeMissing.Contains(s.N)))
            {
                // Its first occurrence may have been given up on: then no copy is under events/, never two.
                events.Should().HaveCountLessThanOrEqualTo(1, $"uuid {byUuid.Key} is never twice under events/");
                continue;
            }
            events.Should().ContainSingle($"uuid {byUuid.Key} must appear exactly once under events/");
            if (firstOccurrenceWins)
                events[0].N.Should().Be(byUuid.First().N, $"the first occurrence of {byUuid.Key} is the one under events/");
        }

        foreach (var line in Lines)
        {
            var date = line.CreatedDatetime[..10];
            line.Key.Should().MatchRegex($"^(events|duplicated)/event_type={line.EventType}/created_date={date}/[^/]+\\.jsonl$");
        }
    }
}

internal sealed record ArchivedLine(string Key, string Uuid, int N, string EventType, string CreatedDatetime, string Json);

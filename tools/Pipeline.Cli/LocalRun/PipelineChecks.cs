using System.Text.Json;
using Pipelines.Cli.Producers;
using Pipelines.LocalCloud.Topology;

namespace Pipelines.Cli.LocalRun;

/// <summary>
/// Compares each pipeline's end state (tables, objects and their lines, rejects, queues) with what its producer says the
/// inputs imply. Each check names what it found and what it expected, so a WRONG line explains itself.
/// </summary>
internal sealed class PipelineChecks(EndState state, TopologyDocument topology)
{
    private string Rejects => topology.Shared.RejectsBucket;

    public async Task ReviewsAsync(PipelineReport r, ReviewsProduced p, CancellationToken ct)
    {
        var table = topology.Pipeline("reviews").Tables["reviews"].Name;
        var ids = (await state.ScanAsync(table, ct)).Select(i => i["review_id"].S).ToList();
        var rejected = await state.LinesAsync(Rejects, "reviews/", ct);
        r.In = p.Sent;
        r.Written = ids.Count;
        r.Rejected = rejected.Count;
        var expected = p.ValidReviewIds.ToHashSet(StringComparer.Ordinal);
        var missing = expected.Except(ids).Count();
        var unexpected = ids.Except(expected).Count();
        r.Expect(missing == 0 && unexpected == 0 && ids.Count == expected.Count,
            $"table {table} holds {ids.Count} reviews ({missing} valid ones missing, {unexpected} unexpected); expected exactly the {expected.Count} valid ones");
        r.Expect(rejected.Count == p.Invalid, $"{rejected.Count} rejected lines under s3://{Rejects}/reviews/, expected {p.Invalid} (one per invalid review)");
        r.Results.Add($"table {table} ({ids.Count} items); rejects s3://{Rejects}/reviews/");
    }

    public async Task EventsAsync(PipelineReport r, EventsProduced p, CancellationToken ct)
    {
        var bucket = topology.Pipeline("events").Buckets["archive"].Name;
        var events = await state.LinesAsync(bucket, "events/", ct);
        var duplicates = await state.LinesAsync(bucket, "duplicated/", ct);
        r.In = p.Sent;
        r.Written = events.Count + duplicates.Count;
        r.Duplicates = duplicates.Count;
        r.Rejected = (await state.LinesAsync(bucket, "rejected/", ct)).Count;
        ComparePartitions(r, "events/", Partitions(events, "events/"), p.ExpectedEvents);
        ComparePartitions(r, "duplicated/", Partitions(duplicates, "duplicated/"), p.ExpectedDuplicates);
        var uuids = events.Select(e => Field(e.Line, "event_uuid")).Where(u => u is not null).ToList();
        var repeated = uuids.GroupBy(u => u).Count(g => g.Count() > 1);
        r.Expect(repeated == 0, $"{repeated} event uuids appear more than once under events/ (exactly once expected)");
        r.Expect(uuids.Distinct().Count() == p.DistinctUuids.Count,
            $"{uuids.Distinct().Count()} distinct uuids under events/, expected {p.DistinctUuids.Count}");
        r.Results.Add($"s3://{bucket}/events/ ({events.Count} lines) and /duplicated/ ({duplicates.Count} lines)");
    }

    public async Task OrdersAsync(PipelineReport r, OrdersProduced p, CancellationToken ct)
    {
        var bucket = topology.Pipeline("orders").Buckets["analytics"].Name;
        var lines = await state.LinesAsync(bucket, "orders/", ct);
        var errors = await state.LinesAsync(bucket, "errors/", ct);
        var rejected = await state.LinesAsync(Rejects, "orders/", ct);
        r.In = p.Writes;
        r.Written = lines.Count;
        r.Rejected = errors.Count + rejected.Count;
        var byType = lines.GroupBy(l => Field(l.Line, "cdc_event_type") ?? "?").ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        void Count(string type, int expected) => r.Expect(byType.GetValueOrDefault(type) == expected,
            $"{byType.GetValueOrDefault(type)} {type} lines under s3://{bucket}/orders/, expected {expected}");
        Count("INSERT", p.Inserted.Count);
        Count("MODIFY", p.Updated.Count);
        Count("REMOVE", p.Deleted.Count);
        var removed = lines.Where(l => Field(l.Line, "cdc_event_type") == "REMOVE").Select(l => Field(l.Line, "orderid")).ToHashSet(StringComparer.Ordinal);
        r.Expect(removed.SetEquals(p.Deleted), "the orders with REMOVE lines are not the deleted ones");
        var badPartition = lines.Count(l => !l.Key.StartsWith("orders/year=", StringComparison.Ordinal) || !l.Key.Contains("/month=", StringComparison.Ordinal) || !l.Key.Contains("/day=", StringComparison.Ordinal));
        r.Expect(badPartition == 0, $"{badPartition} lines are outside orders/year=/month=/day=/ partitions");
        r.Expect(errors.Count == 0 && rejected.Count == 0, $"{errors.Count} records under s3://{bucket}/errors/ and {rejected.Count} rejected CDC records (none expected)");
        var table = topology.Pipeline("orders").Tables["orders"].Name;
        var items = await state.ScanAsync(table, ct);
        r.Expect(items.Count == p.FinalState.Count, $"table {table} holds {items.Count} orders, expected {p.FinalState.Count}");
        r.Results.Add($"s3://{bucket}/orders/year=/month=/day=/ ({lines.Count} lines)");
    }

    public async Task CountiesAsync(PipelineReport r, CountiesProduced p, CancellationToken ct)
    {
        var table = topology.Pipeline("counties").Tables["counts"].Name;
        var totals = (await CountiesReport.LoadAsync(state.DynamoDb, table, ct)).ToDictionary(t => t.County, t => t.Rows, StringComparer.Ordinal);
        var rejected = await state.LinesAsync(Rejects, "counties/", ct);
        r.In = p.Sent;
        r.Written = totals.Values.Sum();
        r.Rejected = rejected.Count;
        var wrong = p.ExpectedCounts.Where(kv => totals.GetValueOrDefault(kv.Key) != kv.Value).Select(kv => $"{kv.Key} {totals.GetValueOrDefault(kv.Key)}/{kv.Value}").ToList();
        var extra = totals.Keys.Except(p.ExpectedCounts.Keys).ToList();
        r.Expect(wrong.Count == 0, $"counts differ for {wrong.Count} counties (found/expected): {string.Join(", ", wrong.Take(5))}");
        r.Expect(extra.Count == 0, $"unexpected counties in {table}: {string.Join(", ", extra.Take(5))}");
        r.Expect(rejected.Count == p.BlankCounty, $"{rejected.Count} rejected rows under s3://{Rejects}/counties/, expected {p.BlankCounty} (blank county)");
        r.Facts.Add($"{p.ExpectedCounts.Count} counties, producer rate {p.AchievedRate:0.0} rows/s");
        r.Results.Add($"table {table} (./scripts/pipeline report counties)");
    }

    public async Task CatalogAsync(PipelineReport r, CatalogProduced p, IReadOnlyCollection<string> blacklisted, CancellationToken ct)
    {
        var bucket = topology.Pipeline("catalog").Buckets["output"].Name;
        var lines = await state.LinesAsync(bucket, "year=", ct);
        var rejected = await state.LinesAsync(bucket, "rejected/", ct);
        r.In = p.GoodLines + p.BadLines;
        r.Written = lines.Count;
        r.Rejected = rejected.Count;
        var found = lines.Select(l => (Field(l.Line, "content_type") ?? "", Field(l.Line, "accommodation_id") ?? "")).ToHashSet();
        var expected = p.ExpectedAccommodations(blacklisted);
        var missing = expected.Except(found).Count();
        var unexpected = found.Except(expected).Count();
        r.Expect(missing == 0, $"{missing} of {expected.Count} expected accommodations are missing from s3://{bucket}/");
        r.Expect(unexpected == 0, $"{unexpected} accommodations in the output should not be there (blacklisted partners only, or never sent)");
        r.Expect(rejected.Count == p.BadLines, $"{rejected.Count} rejected lines under s3://{bucket}/rejected/, expected {p.BadLines}");
        var objects = (await state.KeysAsync(bucket, "year=", ct)).Count;
        r.Facts.Add($"{p.Files.Count} partner files, {expected.Count} accommodations after dropping blacklisted partners, {objects} output objects");
        r.Results.Add($"s3://{bucket}/year=/month=/day=/ ({lines.Count} consolidated records)");
    }

    private static Dictionary<string, int> Partitions(List<(string Key, string Line)> lines, string root) =>
        lines.GroupBy(l => l.Key[root.Length..l.Key.LastIndexOf('/')]).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    private static void ComparePartitions(PipelineReport r, string root, Dictionary<string, int> found, IReadOnlyDictionary<string, int> expected)
    {
        var wrong = expected.Keys.Union(found.Keys)
            .Where(k => found.GetValueOrDefault(k) != expected.GetValueOrDefault(k))
            .Select(k => $"{k} {found.GetValueOrDefault(k)}/{expected.GetValueOrDefault(k)}").ToList();
        r.Expect(wrong.Count == 0, $"{root} partitions with wrong line counts (found/expected): {string.Join(", ", wrong.Take(4))}");
    }

    private static string? Field(string jsonLine, string name)
    {
        try
        {
            using var doc = JsonDocument.Parse(jsonLine);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
                ? v.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

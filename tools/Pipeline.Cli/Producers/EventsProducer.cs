using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Pipelines.Shared.Aws;

namespace Pipelines.Cli.Producers;

/// <summary>What <c>produce events</c> sends.</summary>
public sealed record EventsProduceOptions
{
    /// <summary>Records to put, duplicates included.</summary>
    public int Count { get; init; } = 1000;

    /// <summary>Share of the records that re-send an earlier event (same payload, same uuid, a new Kinesis record).</summary>
    public double DuplicateRate { get; init; } = 0.1;

    /// <summary>Records per second; null sends as fast as the stream accepts.</summary>
    public double? Rate { get; init; }

    public string StreamName { get; init; } = "event-ingestion-stream";

    /// <summary>created_at is spread over this many days ending now (so output lands in several date partitions).</summary>
    public int Days { get; init; } = 3;

    public int? Seed { get; init; }

    /// <summary>Records per PutRecords call (Kinesis allows at most 500).</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>Rounds of re-sending entries Kinesis refused (throttling) before giving up.</summary>
    public int MaxRounds { get; init; } = 10;

    /// <summary>The instant "now" for created_at; defaults to the current time.</summary>
    public DateTimeOffset? Now { get; init; }
}

/// <summary>Progress: records accepted by Kinesis so far, entries re-sent after refusals, and the achieved rate.</summary>
public sealed record EventsProgress(int Sent, int Total, int Resent, double RecordsPerSecond);

/// <summary>
/// What was sent and the archive it should produce: each distinct uuid exactly once under events/ and each
/// duplicate record exactly once under duplicated/, counted per <c>event_type=&lt;type&gt;/created_date=&lt;date&gt;</c>
/// partition (a duplicate has its original's payload, so both land in the same partition whichever is first).
/// </summary>
public sealed record EventsProduced(
    string StreamName,
    int Sent,
    IReadOnlyList<string> DistinctUuids,
    int Duplicates,
    IReadOnlyDictionary<string, int> ExpectedEvents,
    IReadOnlyDictionary<string, int> ExpectedDuplicates,
    int Resent,
    int AmbiguousResends,
    TimeSpan Elapsed)
{
    /// <summary>Percent of the records that were duplicates, as the function's DuplicateRate metric should show.</summary>
    public double DuplicateRatePercent => Sent == 0 ? 0 : 100.0 * Duplicates / Sent;
}

/// <summary>
/// Generates realistic app events (several types, subtypes with ':', extra fields, created_at over a few days) with a
/// chosen share of duplicates, and puts them on the Kinesis stream in PutRecords batches at a steady rate, re-sending
/// entries Kinesis refused.
/// </summary>
public sealed class EventsProducer(KinesisClient kinesis)
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task<EventsProduced> RunAsync(EventsProduceOptions options, IProgress<EventsProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Count);
        if (options.DuplicateRate is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(options), "DuplicateRate must be within [0, 1)");
        if (options.Rate is <= 0) throw new ArgumentOutOfRangeException(nameof(options), "Rate must be positive");
        if (options.BatchSize is < 1 or > 500) throw new ArgumentOutOfRangeException(nameof(options), "BatchSize must be within 1..500");

        var planned = Plan(options);
        var batchSize = options.Rate is { } r ? Math.Clamp((int)Math.Ceiling(r / 4), 1, options.BatchSize) : options.BatchSize;
        var stopwatch = Stopwatch.StartNew();
        int sent = 0, resent = 0, ambiguous = 0;
        progress?.Report(new EventsProgress(0, planned.Records.Count, 0, 0));
        foreach (var chunk in planned.Records.Chunk(batchSize))
        {
            if (options.Rate is { } rate)
            {
                // Steady pacing: this chunk may start once the records before it have had their share of time.
                var due = TimeSpan.FromSeconds(sent / rate) - stopwatch.Elapsed;
                if (due > TimeSpan.Zero) await Task.Delay(due, cancellationToken);
            }
            var (again, unsure) = await PutAllAsync(options, chunk, cancellationToken);
            resent += again;
            ambiguous += unsure;
            sent += chunk.Length;
            progress?.Report(new EventsProgress(sent, planned.Records.Count, resent, sent / Math.Max(stopwatch.Elapsed.TotalSeconds, 1e-3)));
        }

        return new EventsProduced(
            options.StreamName,
            sent,
            planned.DistinctUuids,
            planned.Duplicates,
            planned.ExpectedEvents,
            planned.ExpectedDuplicates,
            resent,
            ambiguous,
            stopwatch.Elapsed);
    }

    /// <summary>Puts every entry, re-sending those Kinesis refused; returns (entries re-sent, calls whose outcome was unknown).</summary>
    private async Task<(int Resent, int Ambiguous)> PutAllAsync(EventsProduceOptions options, PutRecordsEntry[] entries, CancellationToken cancellationToken)
    {
        IReadOnlyList<PutRecordsEntry> pending = entries;
        int resent = 0, ambiguous = 0;
        for (var round = 0; pending.Count > 0; round++)
        {
            if (round >= options.MaxRounds)
                throw new IOException($"Kinesis still refused {pending.Count} records after {round} rounds.");
            if (round > 0)
            {
                resent += pending.Count;
                var ceiling = Math.Min(5000, 100 * (1 << Math.Min(round, 6)));
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(ceiling / 2, ceiling)), cancellationToken);
            }
            PutRecordsResult result;
            try
            {
                result = await kinesis.PutRecordsAsync(options.StreamName, pending, cancellationToken);
            }
            catch (Exception e) when (Pipelines.Shared.Resilience.TransientErrors.IsTransient(e, cancellationToken))
            {
                // No answer: some records may have been stored, so re-sending can add real duplicates. Counted.
                ambiguous++;
                continue;
            }
            if (result.FailedRecordCount == 0) break;
            pending = pending.Where((_, i) => !result.Records[i].IsSuccess).ToList();
        }
        return (resent, ambiguous);
    }

    private sealed record PlannedEvents(
        List<PutRecordsEntry> Records, List<string> DistinctUuids, int Duplicates,
        Dictionary<string, int> ExpectedEvents, Dictionary<string, int> ExpectedDuplicates);

    /// <summary>Builds every record up front, so what was sent and what should be archived are known exactly.</summary>
    private static PlannedEvents Plan(EventsProduceOptions options)
    {
        var random = options.Seed is { } seed ? new Random(seed) : new Random();
        var now = options.Now ?? DateTimeOffset.UtcNow;
        var duplicateCount = (int)Math.Round(options.Count * options.DuplicateRate, MidpointRounding.AwayFromZero);
        if (options.Count > 0) duplicateCount = Math.Min(duplicateCount, options.Count - 1);
        // Positions that re-send an earlier event (never the first record: it has nothing to repeat).
        var duplicatePositions = Enumerable.Range(1, Math.Max(0, options.Count - 1)).OrderBy(_ => random.Next()).Take(duplicateCount).ToHashSet();

        var records = new List<PutRecordsEntry>(options.Count);
        var originals = new List<(byte[] Data, string PartitionKey, string Partition)>();
        var uuids = new List<string>();
        var expectedEvents = new Dictionary<string, int>(StringComparer.Ordinal);
        var expectedDuplicates = new Dictionary<string, int>(StringComparer.Ordinal);
        var totalWeight = EventsCatalog.Names.Sum(n => n.Weight);
        for (var i = 0; i < options.Count; i++)
        {
            if (duplicatePositions.Contains(i) && originals.Count > 0)
            {
                // Mostly a recent event (a producer retry), sometimes an old one (a replayed client queue).
                var pick = random.NextDouble() < 0.7
                    ? originals[Math.Max(0, originals.Count - 1 - random.Next(Math.Min(50, originals.Count)))]
                    : originals[random.Next(originals.Count)];
                // Half of the re-sends come through another partition key, i.e. possibly another shard.
                var key = random.Next(2) == 0 ? pick.PartitionKey : $"retry-{random.Next(1_000_000)}";
                records.Add(new PutRecordsEntry(pick.Data, key));
                expectedDuplicates[pick.Partition] = expectedDuplicates.GetValueOrDefault(pick.Partition) + 1;
                continue;
            }
            var uuid = RandomUuid(random);
            var name = PickName(random, totalWeight);
            var created = now.AddSeconds(-random.NextDouble() * options.Days * 86_400);
            var userId = $"u-{random.Next(1, 5000):D5}";
            var data = EventJson(random, uuid, name, created, userId);
            var partition = $"event_type={name[..name.IndexOf(':', StringComparison.Ordinal)]}/created_date={created.UtcDateTime:yyyy-MM-dd}";
            originals.Add((data, userId, partition));
            uuids.Add(uuid);
            records.Add(new PutRecordsEntry(data, userId));
            expectedEvents[partition] = expectedEvents.GetValueOrDefault(partition) + 1;
        }
        return new PlannedEvents(records, uuids, records.Count - uuids.Count, expectedEvents, expectedDuplicates);
    }

    internal static string PickName(Random random, int totalWeight)
    {
        var roll = random.Next(totalWeight);
        foreach (var (name, weight) in EventsCatalog.Names)
        {
            if (roll < weight) return name;
            roll -= weight;
        }
        return EventsCatalog.Names[^1].Name;
    }

    /// <summary>One event as the producer sends it (also the bench's payload generator).</summary>
    internal static byte[] EventJson(Random random, string uuid, string name, DateTimeOffset created, string userId)
    {
        using var buffer = new MemoryStream(256);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("event_uuid", uuid);
            w.WriteString("event_name", name);
            // Most producers send whole seconds; some send milliseconds as a fraction.
            var seconds = created.ToUnixTimeMilliseconds() / 1000m;
            if (random.Next(10) < 7) w.WriteNumber("created_at", decimal.Floor(seconds));
            else w.WriteNumber("created_at", seconds);
            w.WriteString("user_id", userId);
            w.WriteString("platform", Pick(random, EventsCatalog.Platforms));
            w.WriteString("app_version", Pick(random, EventsCatalog.AppVersions));
            w.WriteString("country", Pick(random, EventsCatalog.Countries));
            WriteTypeFields(w, random, name);
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteTypeFields(Utf8JsonWriter w, Random random, string name)
    {
        switch (name[..name.IndexOf(':', StringComparison.Ordinal)])
        {
            case "page":
                w.WriteString("page", Pick(random, EventsCatalog.Pages));
                w.WriteString("referrer", random.Next(3) == 0 ? "https://www.google.com/" : "");
                break;
            case "lesson":
                w.WriteString("learning_language", Pick(random, EventsCatalog.Languages));
                w.WriteString("display_language", Pick(random, EventsCatalog.Languages));
                w.WriteString("lesson_id", $"L-{random.Next(1, 900):D4}");
                if (name != "lesson:started") w.WriteNumber("duration_s", random.Next(60, 1800));
                if (name == "lesson:completed") w.WriteNumber("score", Math.Round(random.NextDouble(), 2));
                break;
            case "account":
                w.WriteString("method", Pick(random, EventsCatalog.LoginMethods));
                break;
            case "subscription":
            case "payment":
                w.WriteString("plan", Pick(random, EventsCatalog.Plans));
                w.WriteStartObject("amount");
                w.WriteNumber("value", Math.Round(4.99m + random.Next(0, 120), 2));
                w.WriteString("currency", Pick(random, EventsCatalog.Currencies));
                w.WriteEndObject();
                break;
            case "notification":
                w.WriteString("campaign", $"c-{random.Next(1, 40)}");
                w.WriteStartArray("tags");
                w.WriteStringValue("reminder");
                if (random.Next(2) == 0) w.WriteStringValue("streak");
                w.WriteEndArray();
                break;
        }
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];

    /// <summary>A version-4 UUID from <paramref name="random"/>, so a seeded run generates the same events.</summary>
    internal static string RandomUuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40); // version 4 (Guid's little-endian layout puts it in byte 7)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes).ToString();
    }

    internal static string Describe(EventsProduced produced)
    {
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"events: sent {produced.Sent} records to {produced.StreamName} ({produced.DistinctUuids.Count} distinct uuids, " +
            $"{produced.Duplicates} duplicates = {produced.DuplicateRatePercent:0.0}%) in {produced.Elapsed.TotalSeconds:0.0} s " +
            $"({produced.Sent / Math.Max(produced.Elapsed.TotalSeconds, 1e-3):0} records/s); {produced.Resent} re-sent after refusals");
        return produced.AmbiguousResends == 0
            ? summary
            : summary + string.Create(CultureInfo.InvariantCulture,
                $", {produced.AmbiguousResends} calls with unknown outcome re-sent (may add duplicates)");
    }

    internal static string PartitionTable(EventsProduced produced)
    {
        var text = new StringBuilder();
        foreach (var partition in produced.ExpectedEvents.Keys.Union(produced.ExpectedDuplicates.Keys).Order(StringComparer.Ordinal))
            text.Append(string.Create(CultureInfo.InvariantCulture,
                $"  {partition,-60} events {produced.ExpectedEvents.GetValueOrDefault(partition),6}  duplicated {produced.ExpectedDuplicates.GetValueOrDefault(partition),5}")).Append('\n');
        return text.ToString();
    }
}

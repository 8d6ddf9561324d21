using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Pipelines.Shared.Aws;
using Pipelines.Shared.Resilience;

namespace Pipelines.Cli.Producers;

/// <summary>What <c>produce reviews</c> sends.</summary>
public sealed record ReviewsProduceOptions
{
    public int Count { get; init; } = 1000;

    /// <summary>Share of records that can never be stored (of varied kinds), which the function must reject.</summary>
    public double InvalidRatio { get; init; } = 0.1;

    /// <summary>Records per second; null sends as fast as the stream accepts.</summary>
    public double? Rate { get; init; }

    public string StreamName { get; init; } = "amazon-review-ingestion-stream";

    public int? Seed { get; init; }

    /// <summary>Records per PutRecords call (Kinesis allows at most 500 and 5 MB).</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>Rounds of re-sending entries Kinesis refused before giving up on them.</summary>
    public int MaxRounds { get; init; } = 10;

    public DateTimeOffset? Now { get; init; }
}

public sealed record ReviewsProgress(int Sent, int Total, int Resent, int Failed, double RecordsPerSecond);

/// <summary>
/// What was sent and what the raw table should end up holding: one item per id in <see cref="ValidReviewIds"/>,
/// and <see cref="Invalid"/> records in the rejects bucket (by kind in <see cref="InvalidByKind"/>).
/// </summary>
public sealed record ReviewsProduced(
    string StreamName,
    int Sent,
    int Valid,
    int Invalid,
    IReadOnlyList<string> ValidReviewIds,
    IReadOnlyDictionary<string, int> InvalidByKind,
    int Resent,
    int Failed,
    TimeSpan Elapsed);

/// <summary>
/// Generates realistic product reviews (seed 000's schema, several marketplaces and categories, ratings skewed to 5
/// stars, a few unknown extra fields) with a chosen share of invalid records of varied kinds, and puts them on the
/// Kinesis stream with the review id as partition key, in PutRecords batches, re-sending refused entries.
/// </summary>
public sealed class ReviewsProducer(KinesisClient kinesis)
{
    /// <summary>PutRecords accepts 5 MB per call; stay below it with room for the request envelope.</summary>
    private const int MaxBytesPerCall = 4_500_000;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The kinds of broken record produced, each something the function must reject for its own reason.</summary>
    public static readonly string[] InvalidKinds =
    [
        "truncated-json", "not-an-object", "missing-review-id", "empty-reviewer-id", "star-rating-out-of-range",
        "star-rating-as-text", "date-without-offset", "negative-helpful-votes", "verified-purchase-as-text",
        "not-utf8", "oversize-item",
    ];

    public async Task<ReviewsProduced> RunAsync(ReviewsProduceOptions options, IProgress<ReviewsProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.Count);
        if (options.InvalidRatio is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(options), "InvalidRatio must be within [0, 1]");
        if (options.Rate is <= 0) throw new ArgumentOutOfRangeException(nameof(options), "Rate must be positive");
        if (options.BatchSize is < 1 or > 500) throw new ArgumentOutOfRangeException(nameof(options), "BatchSize must be within 1..500");

        var plan = Plan(options);
        var batchSize = options.Rate is { } r ? Math.Clamp((int)Math.Ceiling(r / 4), 1, options.BatchSize) : options.BatchSize;
        var stopwatch = Stopwatch.StartNew();
        int sent = 0, resent = 0, failed = 0;
        progress?.Report(new ReviewsProgress(0, plan.Records.Count, 0, 0, 0));
        foreach (var chunk in Chunks(plan.Records, batchSize))
        {
            if (options.Rate is { } rate)
            {
                // Steady pacing: this chunk may start once the records before it have had their share of time.
                var due = TimeSpan.FromSeconds(sent / rate) - stopwatch.Elapsed;
                if (due > TimeSpan.Zero) await Task.Delay(due, cancellationToken);
            }
            var (again, lost) = await PutAllAsync(options, chunk, cancellationToken);
            resent += again;
            failed += lost;
            sent += chunk.Count - lost;
            progress?.Report(new ReviewsProgress(sent, plan.Records.Count, resent, failed, sent / Math.Max(stopwatch.Elapsed.TotalSeconds, 1e-3)));
        }
        return new ReviewsProduced(options.StreamName, sent, plan.ValidIds.Count, plan.InvalidByKind.Values.Sum(),
            plan.ValidIds, plan.InvalidByKind, resent, failed, stopwatch.Elapsed);
    }

    public static string Describe(ReviewsProduced produced)
    {
        ArgumentNullException.ThrowIfNull(produced);
        var kinds = string.Join(", ", produced.InvalidByKind.OrderBy(k => k.Key, StringComparer.Ordinal).Select(k => $"{k.Key} {k.Value}"));
        return string.Create(CultureInfo.InvariantCulture,
            $"sent {produced.Sent} records to {produced.StreamName} in {produced.Elapsed.TotalSeconds:0.0}s: {produced.Valid} valid reviews, " +
            $"{produced.Invalid} invalid ({(kinds.Length == 0 ? "none" : kinds)}); re-sent {produced.Resent}, failed {produced.Failed}");
    }

    /// <summary>Groups records into PutRecords calls within the count and byte limits.</summary>
    private static IEnumerable<List<PutRecordsEntry>> Chunks(List<PutRecordsEntry> records, int batchSize)
    {
        var chunk = new List<PutRecordsEntry>();
        var bytes = 0;
        foreach (var record in records)
        {
            var size = record.Data.Length + Encoding.UTF8.GetByteCount(record.PartitionKey);
            if (chunk.Count > 0 && (chunk.Count == batchSize || bytes + size > MaxBytesPerCall))
            {
                yield return chunk;
                chunk = [];
                bytes = 0;
            }
            chunk.Add(record);
            bytes += size;
        }
        if (chunk.Count > 0) yield return chunk;
    }

    /// <summary>Puts every entry, re-sending those Kinesis refused; returns (entries re-sent, entries given up on).</summary>
    private async Task<(int Resent, int Lost)> PutAllAsync(ReviewsProduceOptions options, List<PutRecordsEntry> entries, CancellationToken cancellationToken)
    {
        var pending = entries;
        var resent = 0;
        for (var round = 0; pending.Count > 0; round++)
        {
            if (round >= options.MaxRounds) return (resent, pending.Count);
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
            catch (Exception e) when (TransientErrors.IsTransient(e, cancellationToken))
            {
                continue;
            }
            if (result.FailedRecordCount == 0) break;
            pending = pending.Where((_, i) => !result.Records[i].IsSuccess).ToList();
        }
        return (resent, 0);
    }

    private sealed record PlannedReviews(List<PutRecordsEntry> Records, List<string> ValidIds, Dictionary<string, int> InvalidByKind);

    /// <summary>Builds every record up front so what the table and the rejects bucket should hold is known exactly.</summary>
    private static PlannedReviews Plan(ReviewsProduceOptions options)
    {
        var random = options.Seed is { } seed ? new Random(seed) : new Random();
        var now = options.Now ?? DateTimeOffset.UtcNow;
        var invalidCount = (int)Math.Round(options.Count * options.InvalidRatio, MidpointRounding.AwayFromZero);
        var invalidPositions = Enumerable.Range(0, options.Count).OrderBy(_ => random.Next()).Take(invalidCount).ToHashSet();
        var records = new List<PutRecordsEntry>(options.Count);
        var validIds = new List<string>();
        var invalidByKind = new Dictionary<string, int>(StringComparer.Ordinal);
        var usedIds = new HashSet<string>(StringComparer.Ordinal);
        var kindCursor = random.Next(InvalidKinds.Length);
        for (var i = 0; i < options.Count; i++)
        {
            string id;
            do id = "R" + RandomId(random, 13); while (!usedIds.Add(id));
            var review = NewReview(random, id, now);
            if (!invalidPositions.Contains(i))
            {
                records.Add(new PutRecordsEntry(Serialize(review), id));
                validIds.Add(id);
                continue;
            }
            // Cycle through the kinds so even a small run shows several of them.
            var kind = InvalidKinds[kindCursor++ % InvalidKinds.Length];
            records.Add(new PutRecordsEntry(Corrupt(kind, review, random), id));
            invalidByKind[kind] = invalidByKind.GetValueOrDefault(kind) + 1;
        }
        return new PlannedReviews(records, validIds, invalidByKind);
    }

    private static Dictionary<string, object?> NewReview(Random random, string id, DateTimeOffset now)
    {
        var (category, products) = ReviewsCatalog.Products[random.Next(ReviewsCatalog.Products.Length)];
        var product = products[random.Next(products.Length)];
        var rating = PickRating(random);
        var text = new StringBuilder(string.Format(CultureInfo.InvariantCulture, Pick(random, ReviewsCatalog.OpeningsByRating[rating]), product));
        for (var d = random.Next(0, 4); d > 0; d--) text.Append(' ').Append(Pick(random, ReviewsCatalog.Details));
        var date = now.AddSeconds(-random.Next(3600, 730 * 86_400));
        // Most sources send UTC with Z; some send a local offset, as ISO 8601 allows.
        var offset = random.Next(4) == 0 ? TimeSpan.FromHours(random.Next(-8, 10)) : TimeSpan.Zero;
        var review = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["review_id"] = id,
            ["reviewer_id"] = "A" + RandomId(random, 13),
            ["product_id"] = "B0" + RandomId(random, 8),
            ["marketplace_id"] = Pick(random, ReviewsCatalog.Marketplaces),
            ["star_rating"] = rating,
            ["review_title"] = Pick(random, ReviewsCatalog.TitlesByRating[rating]),
            ["review_text"] = text.ToString(),
            ["review_date"] = FormatDate(date.ToOffset(offset)),
            ["product_category"] = category,
        };
        // Optional fields are sometimes left out, so the function's defaults are exercised.
        if (random.Next(5) > 0) review["helpful_votes"] = rating is 1 or 5 ? random.Next(0, 120) : random.Next(0, 15);
        if (random.Next(5) > 0) review["verified_purchase"] = random.Next(10) < 8;
        if (random.Next(6) == 0) review["vine"] = random.Next(2) == 0 ? "Y" : "N";
        if (random.Next(8) == 0) review["total_votes"] = random.Next(0, 200);
        return review;
    }

    private static byte[] Corrupt(string kind, Dictionary<string, object?> review, Random random)
    {
        switch (kind)
        {
            case "truncated-json":
                var full = Serialize(review);
                return full[..(full.Length / 2)];
            case "not-an-object":
                return Encoding.UTF8.GetBytes("[" + Encoding.UTF8.GetString(Serialize(review)) + "]");
            case "missing-review-id":
                review.Remove("review_id");
                break;
            case "empty-reviewer-id":
                review["reviewer_id"] = "";
                break;
            case "star-rating-out-of-range":
                review["star_rating"] = random.Next(2) == 0 ? 0 : random.Next(6, 11);
                break;
            case "star-rating-as-text":
                review["star_rating"] = "five stars";
                break;
            case "date-without-offset":
                review["review_date"] = ((string)review["review_date"]!)[..19];
                break;
            case "negative-helpful-votes":
                review["helpful_votes"] = -random.Next(1, 50);
                break;
            case "verified-purchase-as-text":
                review["verified_purchase"] = "yes";
                break;
            case "not-utf8":
                var bytes = Serialize(review);
                // A Latin-1 byte in the middle of the title, as a mis-encoding upstream would leave it.
                var at = Array.IndexOf(bytes, (byte)'"', bytes.Length / 2);
                bytes[at < 0 ? bytes.Length / 2 : at - 1] = 0xE9;
                return bytes;
            case "oversize-item":
                review["review_text"] = string.Concat(Enumerable.Repeat((string)review["review_text"]! + " ", 420_000 / Math.Max(1, ((string)review["review_text"]!).Length + 1) + 1));
                break;
        }
        return Serialize(review);
    }

    private static byte[] Serialize(Dictionary<string, object?> review)
    {
        using var buffer = new MemoryStream(512);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            foreach (var (name, value) in review)
            {
                switch (value)
                {
                    case null: w.WriteNull(name); break;
                    case string s: w.WriteString(name, s); break;
                    case int n: w.WriteNumber(name, n); break;
                    case bool b: w.WriteBoolean(name, b); break;
                    default: throw new InvalidOperationException($"unexpected value type for {name}");
                }
            }
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static int PickRating(Random random)
    {
        var roll = random.Next(ReviewsCatalog.RatingWeights.Sum());
        for (var rating = 1; rating <= 5; rating++)
        {
            if (roll < ReviewsCatalog.RatingWeights[rating]) return rating;
            roll -= ReviewsCatalog.RatingWeights[rating];
        }
        return 5;
    }

    private static string FormatDate(DateTimeOffset value) =>
        value.Offset == TimeSpan.Zero
            ? value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : value.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    private static string RandomId(Random random, int length)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        return string.Create(length, random, (span, r) =>
        {
            for (var i = 0; i < span.Length; i++) span[i] = alphabet[r.Next(alphabet.Length)];
        });
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];
}

using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration;
using Pipelines.Shared.Aws;
using Pipelines.Shared.Resilience;

namespace Pipelines.Cli.Producers;

/// <summary>What <c>produce counties</c> sends.</summary>
public sealed record CountiesProduceOptions
{
    public required string CsvPath { get; init; }

    /// <summary>Rows per second, held steady over the run (seed 003 asks for at least 10).</summary>
    public double Rate { get; init; } = 10;

    public string StreamName { get; init; } = "county-ingestion-stream";

    /// <summary>Send at most this many rows (null = the whole file).</summary>
    public int? Limit { get; init; }

    /// <summary>How often a PutRecords call goes out; each carries the rows that fell due since the last one.</summary>
    public TimeSpan Tick { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Rounds of re-sending entries Kinesis refused before counting them as failed.</summary>
    public int MaxRounds { get; init; } = 8;

    /// <summary>The clock for the rows' <c>timestamp</c> (tests pin it).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;
}

public sealed record CountiesProgress(int Sent, int Total, int Resent, int Failed, double RowsPerSecond, TimeSpan Elapsed);

/// <summary>
/// What was sent, and the table <c>report counties</c> should show once the aggregator has caught up:
/// <see cref="ExpectedCounts"/> per trimmed county; rows with a blank county are rejected instead.
/// </summary>
public sealed record CountiesProduced(
    string StreamName,
    int Rows,
    int Sent,
    int Failed,
    int Resent,
    int BlankCounty,
    IReadOnlyDictionary<string, int> ExpectedCounts,
    TimeSpan Elapsed)
{
    /// <summary>Rows per second achieved over the whole run.</summary>
    public double AchievedRate => Elapsed.TotalSeconds <= 0 ? 0 : Sent / Elapsed.TotalSeconds;
}

/// <summary>
/// Streams a CSV file (read with a real CSV parser: quoted fields, embedded commas and line breaks) to Kinesis at a
/// steady rate: every row becomes a JSON object of its columns plus a UTC <c>timestamp</c>, partitioned by county.
/// A PeriodicTimer wakes every <see cref="CountiesProduceOptions.Tick"/>; each wake-up sends the rows that fell due
/// against a stopwatch (rate x elapsed), so delays, retries and timer jitter are caught up instead of accumulating.
/// </summary>
public sealed class CountiesProducer(KinesisClient kinesis)
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public const string CountyColumn = "County";

    public async Task<CountiesProduced> RunAsync(CountiesProduceOptions options, IProgress<CountiesProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Rate is <= 0 or > 100_000) throw new ArgumentOutOfRangeException(nameof(options), "Rate must be within (0, 100000] rows/s");
        if (options.Tick <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(options), "Tick must be positive");

        var rows = ReadRows(options.CsvPath, options.Limit);
        var stopwatch = Stopwatch.StartNew();
        int sent = 0, next = 0, resent = 0, failed = 0, blank = 0;
        var expected = new SortedDictionary<string, int>(StringComparer.Ordinal);
        progress?.Report(new CountiesProgress(0, rows.Count, 0, 0, 0, TimeSpan.Zero));
        using var timer = new PeriodicTimer(options.Tick);
        while (next < rows.Count)
        {
            // Rows due by now (rate x elapsed), at most 500 per PutRecords call; nothing due: wait for the next tick.
            var due = Math.Min(rows.Count, (int)Math.Floor(options.Rate * stopwatch.Elapsed.TotalSeconds));
            if (due <= next)
            {
                await timer.WaitForNextTickAsync(cancellationToken);
                continue;
            }
            var take = Math.Min(500, due - next);
            var timestamp = options.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
            var batch = rows.GetRange(next, take);
            var entries = batch.Select(r => new PutRecordsEntry(ToJson(r, timestamp), PartitionKey(r))).ToList();
            var (again, lostIndexes) = await PutAllAsync(options, entries, cancellationToken);
            resent += again;
            failed += lostIndexes.Count;
            for (var i = 0; i < batch.Count; i++)
            {
                if (lostIndexes.Contains(i)) continue;
                sent++;
                var county = batch[i].County;
                if (county.Length == 0) blank++;
                else expected[county] = expected.GetValueOrDefault(county) + 1;
            }
            next += take;
            progress?.Report(new CountiesProgress(sent, rows.Count, resent, failed, sent / Math.Max(stopwatch.Elapsed.TotalSeconds, 1e-3), stopwatch.Elapsed));
        }
        return new CountiesProduced(options.StreamName, rows.Count, sent, failed, resent, blank, expected, stopwatch.Elapsed);
    }

    public static string Describe(CountiesProduced produced)
    {
        ArgumentNullException.ThrowIfNull(produced);
        return string.Create(CultureInfo.InvariantCulture,
            $"sent {produced.Sent}/{produced.Rows} rows to {produced.StreamName} in {produced.Elapsed.TotalSeconds:0.0}s " +
            $"({produced.AchievedRate:0.00} rows/s); {produced.ExpectedCounts.Count} counties, {produced.BlankCounty} rows without a county " +
            $"(the aggregator rejects those); re-sent {produced.Resent}, failed {produced.Failed}");
    }

    /// <summary>One CSV row: its columns in file order and the trimmed county ("" when blank or absent).</summary>
    public sealed record CsvRow(IReadOnlyList<KeyValuePair<string, string>> Columns, string County);

    /// <summary>Reads the file with CsvHelper: the first line is the header; quoted fields may hold commas and line breaks.</summary>
    public static List<CsvRow> ReadRows(string path, int? limit = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            // A short row (fewer columns than the header) is sent with what it has.
            MissingFieldFound = null,
            DetectColumnCountChanges = false,
        };
        using var reader = new StreamReader(path, Encoding.UTF8);
        using var csv = new CsvReader(reader, config);
        if (!csv.Read() || !csv.ReadHeader())
            throw new InvalidDataException($"{path} is empty: expected a header line (Water,County,Fish Species,Comments)");
        var header = csv.HeaderRecord ?? [];
        if (!header.Contains(CountyColumn, StringComparer.Ordinal))
            throw new InvalidDataException($"{path} has no '{CountyColumn}' column (header: {string.Join(",", header)})");
        var rows = new List<CsvRow>();
        while ((limit is null || rows.Count < limit) && csv.Read())
        {
            var columns = new List<KeyValuePair<string, string>>(header.Length);
            var county = "";
            for (var i = 0; i < header.Length; i++)
            {
                var value = csv.TryGetField<string>(i, out var field) ? field ?? "" : "";
                columns.Add(new(header[i], value));
                if (header[i] == CountyColumn) county = value.Trim();
            }
            rows.Add(new CsvRow(columns, county));
        }
        return rows;
    }

    /// <summary>The row as the aggregator reads it: every column by its header name, then <c>timestamp</c>.</summary>
    public static byte[] ToJson(CsvRow row, string timestamp)
    {
        ArgumentNullException.ThrowIfNull(row);
        using var buffer = new MemoryStream(256);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            foreach (var (name, value) in row.Columns) w.WriteString(name, value);
            w.WriteString("timestamp", timestamp);
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>The county, so a county's rows stay in order on one shard; rows without one spread by content.</summary>
    public static string PartitionKey(CsvRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.County.Length > 0) return row.County.Length <= 256 ? row.County : row.County[..256];
        return "no-county-" + string.Join("|", row.Columns.Select(c => c.Value)).GetHashCode(StringComparison.Ordinal).ToString("x8", CultureInfo.InvariantCulture);
    }

    /// <summary>Puts every entry, re-sending those Kinesis refused; returns (entries re-sent, indexes given up on).</summary>
    private async Task<(int Resent, HashSet<int> Lost)> PutAllAsync(CountiesProduceOptions options, List<PutRecordsEntry> entries, CancellationToken cancellationToken)
    {
        var pending = Enumerable.Range(0, entries.Count).ToList();
        var resent = 0;
        for (var round = 0; pending.Count > 0; round++)
        {
            if (round >= options.MaxRounds) return (resent, pending.ToHashSet());
            if (round > 0)
            {
                resent += pending.Count;
                var ceiling = Math.Min(2000, 50 * (1 << Math.Min(round, 6)));
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(ceiling / 2, ceiling)), cancellationToken);
            }
            PutRecordsResult result;
            try
            {
                result = await kinesis.PutRecordsAsync(options.StreamName, pending.Select(i => entries[i]).ToList(), cancellationToken);
            }
            catch (Exception e) when (TransientErrors.IsTransient(e, cancellationToken))
            {
                continue;
            }
            pending = pending.Where((_, i) => !result.Records[i].IsSuccess).ToList();
        }
        return (resent, []);
    }
}

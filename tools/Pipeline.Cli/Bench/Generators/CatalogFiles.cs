using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipelines.Cli.Producers;
using Pipelines.LocalCloud.Emulators;
using Pipelines.LocalCloud.EventSources;
using Pipelines.LocalCloud.S3Notifications;
using Pipelines.Shared.Aws;

namespace Pipelines.Cli.Bench.Generators;

/// <summary>
/// Partner catalog files (jsonl, several partners describing overlapping accommodations with differing fields, 1% bad
/// lines) written to disk once and reused, plus the SQS event that names them: one message per file, each body the
/// S3 ObjectCreated notification the local cloud builds.
/// </summary>
internal static class CatalogFiles
{
    // Records are the ones `produce catalog` writes (CatalogProducer.WriteRecord), dated like the input keys.
    private static readonly DateOnly UpdatedDate = new(2024, 4, 30);
    private static readonly string[] Partners = ["sunny_stays", "globetrek", "casa_connect", "nordic_nights", "urban_nest"];
    private static readonly string[] ContentTypes = ["hotel", "hotel", "hotel", "apartment", "hostel"];

    /// <param name="Accommodations">Distinct (content_type, accommodation_id) among the good lines: the records consolidation must output.</param>
    public sealed record Input(IReadOnlyList<(string Key, string Path, long Bytes)> Files, long TotalBytes, long Lines, long Accommodations);

    /// <summary>Writes <paramref name="files"/> files of about <paramref name="bytesPerFile"/> bytes under <paramref name="directory"/> (kept when already there).</summary>
    public static Input Ensure(string directory, int files, long bytesPerFile, double overlap = 0.3, double badLines = 0.01)
    {
        var stamp = Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"ready-{files}x{bytesPerFile}-{overlap}-{badLines}-v1"));
        var list = new List<(string, string, long)>();
        long total = 0, lines = 0;
        if (File.Exists(stamp))
        {
            var counts = File.ReadAllText(stamp).Split(' ');
            lines = long.Parse(counts[0], CultureInfo.InvariantCulture);
            var accommodations = long.Parse(counts[1], CultureInfo.InvariantCulture);
            for (var f = 0; f < files; f++)
            {
                var (key, path) = Name(directory, f);
                var size = new FileInfo(path).Length;
                list.Add((key, path, size));
                total += size;
            }
            return new Input(list, total, lines, accommodations);
        }

        if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        Directory.CreateDirectory(directory);
        var random = new Random(4004);
        // The shared pool: accommodations several partners describe, so consolidation has real work to do.
        var pool = Math.Max(1, (int)(files * bytesPerFile / 480 * overlap / 3));
        var unique = 0;
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        for (var f = 0; f < files; f++)
        {
            var partner = Partners[f % Partners.Length];
            var (key, path) = Name(directory, f);
            using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                while (stream.Position < bytesPerFile)
                {
                    var shared = random.NextDouble() < overlap;
                    var i = shared ? random.Next(pool) : ++unique;
                    var contentType = ContentTypes[i % ContentTypes.Length];
                    var id = shared ? $"ACC-{i:D7}" : $"{partner[..4].ToUpperInvariant()}-{i:D8}";
                    if (random.NextDouble() < badLines) stream.Write("{\"partner_id\":\"x\",\"content_type\":\"hotel\",\"name\":\"no id\"}"u8);
                    else
                    {
                        CatalogProducer.WriteRecord(stream, random, partner, contentType, id, UpdatedDate);
                        distinct.Add(contentType + "|" + id);
                    }
                    stream.WriteByte((byte)'\n');
                    lines++;
                }
            }
            var size = new FileInfo(path).Length;
            list.Add((key, path, size));
            total += size;
        }
        File.WriteAllText(stamp, string.Create(CultureInfo.InvariantCulture, $"{lines} {distinct.Count}"));
        return new Input(list, total, lines, distinct.Count);
    }

    /// <summary>The SQS event (batch of one message per file) that names the files in <paramref name="bucket"/>.</summary>
    public static byte[] SqsEvent(Input input, string bucket, string queueName)
    {
        var records = new JsonArray();
        var at = new DateTimeOffset(2024, 5, 1, 9, 15, 0, TimeSpan.Zero);
        for (var i = 0; i < input.Files.Count; i++)
        {
            var (key, _, bytes) = input.Files[i];
            var created = at.AddSeconds(i);
            var body = S3NotificationJson.Notification(
                new S3ObjectEvent("ObjectCreated:Put", created, bucket, key, bytes, "\"d41d8cd98f00b204e9800998ecf8427e\"", "203.0.113.10"),
                "catalog-ingest", string.Create(CultureInfo.InvariantCulture, $"0055AED6DCD9{i:X6}"));
            var message = new SqsReceivedMessage
            {
                MessageId = string.Create(CultureInfo.InvariantCulture, $"059f36b4-87a3-44ab-83d2-6619758{i:D5}"),
                ReceiptHandle = "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a/7J2w7yKLGPyDfC9u1cWfhqBench" + i.ToString(CultureInfo.InvariantCulture),
                Body = body.ToJsonString(),
                Attributes = new Dictionary<string, string>
                {
                    ["ApproximateReceiveCount"] = "1",
                    ["SentTimestamp"] = created.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
                    ["SenderId"] = "AIDAIENQZJOLO23YVJ4VO",
                    ["ApproximateFirstReceiveTimestamp"] = created.AddMilliseconds(14).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
                },
            };
            records.Add(SqsEventJson.Record(message, SqsEventJson.QueueArn(queueName)));
        }
        return JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["Records"] = records });
    }

    private static (string Key, string Path) Name(string directory, int file)
    {
        var partner = Partners[file % Partners.Length];
        // The folder name keeps the keys of different inputs (warm-up, measured) apart in one bucket.
        return ($"2024/05/01/{Path.GetFileName(directory)}/{partner.Replace('_', ' ')}-{file + 1}.jsonl", Path.Combine(directory, $"{partner}-{file + 1}.jsonl"));
    }
}

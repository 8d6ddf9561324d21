using System.Text.Encodings.Web;
using System.Text.Json;
using Pipelines.Cli.Producers;

namespace Pipelines.Cli.Bench.Generators;

/// <summary>
/// App events as the events producer sends them (same vocabulary and shapes), over two days, with a share of
/// re-sent events (duplicates under a new sequence number) and a few records that are not valid JSON.
/// </summary>
internal static class EventPayloads
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public sealed record Generated(List<(byte[] Data, string PartitionKey)> Records, int Valid);

    public static Generated Generate(Random random, int count, double duplicateShare, double invalidShare, List<byte[]> recent)
    {
        var records = new List<(byte[], string)>(count);
        var valid = 0;
        var totalWeight = EventsCatalog.Names.Sum(n => n.Weight);
        var now = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < count; i++)
        {
            var roll = random.NextDouble();
            if (roll < invalidShare)
            {
                records.Add(("{\"event_uuid\":\"not closed"u8.ToArray(), "u-bad"));
                continue;
            }
            valid++;
            if (roll < invalidShare + duplicateShare && recent.Count > 0)
            {
                // A producer retry: the same bytes again, later in the stream.
                records.Add((recent[random.Next(recent.Count)], $"u-{random.Next(1, 5000):D5}"));
                continue;
            }
            var data = Event(random, RandomUuid(random), PickName(random, totalWeight),
                now.AddSeconds(-random.NextDouble() * 2 * 86_400), $"u-{random.Next(1, 5000):D5}");
            if (recent.Count == 200) recent.RemoveAt(0);
            recent.Add(data);
            records.Add((data, $"u-{random.Next(1, 5000):D5}"));
        }
        return new Generated(records, valid);
    }

    private static byte[] Event(Random random, string uuid, string name, DateTimeOffset created, string userId)
    {
        using var buffer = new MemoryStream(320);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteString("event_uuid", uuid);
            w.WriteString("event_name", name);
            w.WriteNumber("created_at", created.ToUnixTimeSeconds());
            w.WriteString("user_id", userId);
            w.WriteString("platform", Pick(random, EventsCatalog.Platforms));
            w.WriteString("app_version", Pick(random, EventsCatalog.AppVersions));
            w.WriteString("country", Pick(random, EventsCatalog.Countries));
            switch (name[..name.IndexOf(':', StringComparison.Ordinal)])
            {
                case "page":
                    w.WriteString("page", Pick(random, EventsCatalog.Pages));
                    w.WriteString("referrer", random.Next(3) == 0 ? "https://www.google.com/" : "");
                    break;
                case "lesson":
                    w.WriteString("learning_language", Pick(random, EventsCatalog.Languages));
                    w.WriteString("lesson_id", $"L-{random.Next(1, 900):D4}");
                    w.WriteNumber("duration_s", random.Next(60, 1800));
                    break;
                case "subscription":
                case "payment":
                    w.WriteString("plan", Pick(random, EventsCatalog.Plans));
                    w.WriteStartObject("amount");
                    w.WriteNumber("value", Math.Round(4.99m + random.Next(0, 120), 2));
                    w.WriteString("currency", Pick(random, EventsCatalog.Currencies));
                    w.WriteEndObject();
                    break;
                default:
                    w.WriteString("method", Pick(random, EventsCatalog.LoginMethods));
                    break;
            }
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static string PickName(Random random, int totalWeight)
    {
        var roll = random.Next(totalWeight);
        foreach (var (name, weight) in EventsCatalog.Names)
        {
            if (roll < weight) return name;
            roll -= weight;
        }
        return EventsCatalog.Names[^1].Name;
    }

    private static string Pick(Random random, string[] values) => values[random.Next(values.Length)];

    /// <summary>A version-4 UUID from <paramref name="random"/>, so a seeded run generates the same events.</summary>
    internal static string RandomUuid(Random random)
    {
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes).ToString();
    }
}

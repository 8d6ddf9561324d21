using Pipelines.Cli.Producers;

namespace Pipelines.Cli.Bench.Generators;

/// <summary>
/// App events as the events producer sends them (same vocabulary and shapes), over two days, with a share of
/// re-sent events (duplicates under a new sequence number) and a few records that are not valid JSON.
/// </summary>
internal static class EventPayloads
{
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
            var data = EventsProducer.EventJson(random, EventsProducer.RandomUuid(random), EventsProducer.PickName(random, totalWeight),
                now.AddSeconds(-random.NextDouble() * 2 * 86_400), $"u-{random.Next(1, 5000):D5}");
            if (recent.Count == 200) recent.RemoveAt(0);
            recent.Add(data);
            records.Add((data, $"u-{random.Next(1, 5000):D5}"));
        }
        return new Generated(records, valid);
    }
}

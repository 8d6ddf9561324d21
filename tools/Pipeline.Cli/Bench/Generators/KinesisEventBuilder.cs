using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipelines.LocalCloud.EventSources;

namespace Pipelines.Cli.Bench.Generators;

/// <summary>
/// Wraps generated payloads in the event JSON Lambda delivers, built by the same code the local cloud's event source
/// mappings use (<see cref="KinesisEventJson"/>), so benchmarks start from the exact bytes a function receives.
/// </summary>
internal sealed class KinesisEventBuilder(string streamName, string functionName, string shardId = "shardId-000000000000")
{
    private readonly string _streamArn = KinesisEventJson.StreamArn(streamName);
    private long _sequence = 1;

    /// <summary>Arrival time of the next record; each record arrives a few milliseconds after the previous one.</summary>
    public DateTimeOffset Clock { get; set; } = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);

    public byte[] Build(IReadOnlyList<(byte[] Data, string PartitionKey)> records)
    {
        var array = new JsonArray();
        foreach (var (data, key) in records)
        {
            Clock = Clock.AddMilliseconds(3);
            array.Add(KinesisEventJson.Record(_streamArn, shardId, NextSequenceNumber(), key, data, Clock, functionName));
        }
        return JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["Records"] = array });
    }

    /// <summary>Kinesis sequence numbers are 56-digit decimals that grow within a shard.</summary>
    private string NextSequenceNumber() =>
        string.Create(CultureInfo.InvariantCulture, $"49650{_sequence++:D51}");
}

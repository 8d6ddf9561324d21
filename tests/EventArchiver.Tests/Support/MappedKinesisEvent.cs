using System.Text;
using System.Text.Json.Nodes;
using Pipelines.LocalCloud.EventSources;
using Pipelines.Shared.Aws;

namespace Pipelines.Tests.EventArchiver.Support;

/// <summary>A Kinesis event exactly as Lambda would deliver stream records (built by the local cloud's own mapping code).</summary>
internal static class MappedKinesisEvent
{
    public static byte[] Payload(string stream, string shardId, IEnumerable<KinesisStreamRecord> records)
    {
        var array = new JsonArray();
        foreach (var r in records)
        {
            array.Add(KinesisEventJson.Record(
                KinesisEventJson.StreamArn(stream), shardId, r.SequenceNumber, r.PartitionKey, r.Data,
                DateTimeOffset.FromUnixTimeMilliseconds((long)((r.ApproximateArrivalTimestamp ?? 0) * 1000)), "event-archiver"));
        }
        return Encoding.UTF8.GetBytes(new JsonObject { ["Records"] = array }.ToJsonString());
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Pipelines.Shared.Events;

namespace Pipelines.Tests.Support;

/// <summary>
/// Builds the Kinesis events Lambda sends <paramref name="functionName"/> from <paramref name="streamName"/>: wire JSON
/// in AWS's sample shape, decoded through the functions' event contract like a real invocation.
/// </summary>
public sealed class KinesisEventBuilder(string streamName, string functionName)
{
    public string StreamArn { get; } = $"arn:aws:kinesis:us-east-1:123456789012:stream/{streamName}";

    /// <summary>One record per base64 data string, sequence numbers and arrival times increasing from <paramref name="first"/>.</summary>
    public KinesisEvent FromData(IEnumerable<string> base64Data, int first = 0, string shard = "shardId-000000000000")
    {
        var records = new JsonArray();
        var i = first;
        foreach (var data in base64Data)
        {
            var sequence = KinesisEvents.SequenceNumber(i);
            records.Add(new JsonObject
            {
                ["kinesis"] = new JsonObject
                {
                    ["kinesisSchemaVersion"] = "1.0",
                    ["partitionKey"] = $"pk-{i}",
                    ["sequenceNumber"] = sequence,
                    ["data"] = data,
                    ["approximateArrivalTimestamp"] = JsonNode.Parse((1_700_000_000.000m + i * 0.125m).ToString("0.000", CultureInfo.InvariantCulture)),
                },
                ["eventSource"] = "aws:kinesis",
                ["eventVersion"] = "1.0",
                ["eventID"] = $"{shard}:{sequence}",
                ["eventName"] = "aws:kinesis:record",
                ["invokeIdentityArn"] = $"arn:aws:iam::123456789012:role/{functionName}",
                ["awsRegion"] = "us-east-1",
                ["eventSourceARN"] = StreamArn,
            });
            i++;
        }
        return KinesisEvents.Parse(new JsonObject { ["Records"] = records }.ToJsonString());
    }

    /// <summary>One record per JSON payload (UTF-8, compact), as a producer puts them.</summary>
    public KinesisEvent FromJson(IEnumerable<JsonNode> payloads, int first = 0) =>
        FromData(payloads.Select(p => Convert.ToBase64String(Encoding.UTF8.GetBytes(p.ToJsonString()))), first);
}

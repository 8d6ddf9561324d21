using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using NUnit.Framework;
using Pipelines.Shared.Events;

namespace Pipelines.Tests.ReviewIngestionProcessor;

/// <summary>
/// Builds Kinesis events exactly as Lambda sends them (wire JSON in AWS's sample shape) and decodes them through
/// the function's own event contract, so tests exercise the real decoding path.
/// </summary>
internal static class KinesisEvents
{
    public const string StreamArn = "arn:aws:kinesis:us-east-1:123456789012:stream/amazon-review-ingestion-stream";

    public static KinesisEvent Load(string fixtureName) =>
        Parse(File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", fixtureName)));

    public static KinesisEvent Parse(string json) =>
        JsonSerializer.Deserialize(json, EventJsonContext.Default.KinesisEvent)!;

    /// <summary>One record per base64 data string, sequence numbers and arrival times increasing from <paramref name="first"/>.</summary>
    public static KinesisEvent FromData(IEnumerable<string> base64Data, int first = 0, string shard = "shardId-000000000000")
    {
        var records = new JsonArray();
        var i = first;
        foreach (var data in base64Data)
        {
            var sequence = SequenceNumber(i);
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
                ["invokeIdentityArn"] = "arn:aws:iam::123456789012:role/review-ingestion-processor",
                ["awsRegion"] = "us-east-1",
                ["eventSourceARN"] = StreamArn,
            });
            i++;
        }
        return Parse(new JsonObject { ["Records"] = records }.ToJsonString());
    }

    public static KinesisEvent FromJson(IEnumerable<JsonNode> payloads, int first = 0) =>
        FromData(payloads.Select(p => Convert.ToBase64String(SampleReviews.Bytes(p))), first);

    public static string SequenceNumber(int index) =>
        "4965000000000000000000000000000000" + index.ToString("D22", CultureInfo.InvariantCulture);

    public static KinesisEvent Slice(KinesisEvent batch, int start, int count) =>
        new() { Records = batch.Records.Skip(start).Take(count).ToList() };
}

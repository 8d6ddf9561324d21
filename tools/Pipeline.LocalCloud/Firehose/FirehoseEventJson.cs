using System.Globalization;
using System.Text.Json.Nodes;
using Pipelines.LocalCloud.Emulators;

namespace Pipelines.LocalCloud.Firehose;

/// <summary>A record Firehose read from its Kinesis source: what the transform event and error records need.</summary>
public sealed record FirehoseSourceRecord(
    string RecordId, string ShardId, string PartitionKey, string SequenceNumber, DateTimeOffset ApproximateArrival, byte[] Data);

/// <summary>The event Firehose sends to a transform function when its source is a Kinesis data stream.</summary>
public static class FirehoseEventJson
{
    public static JsonObject Event(string deliveryStreamName, string sourceStreamArn, string invocationId, IReadOnlyList<FirehoseSourceRecord> records) => new()
    {
        ["invocationId"] = invocationId,
        ["deliveryStreamArn"] = DeliveryStreamArn(deliveryStreamName),
        ["sourceKinesisStreamArn"] = sourceStreamArn,
        ["region"] = LocalCredentials.Region,
        ["records"] = new JsonArray(records.Select(r => (JsonNode)new JsonObject
        {
            ["recordId"] = r.RecordId,
            // Firehose uses epoch milliseconds here (Kinesis events use seconds).
            ["approximateArrivalTimestamp"] = r.ApproximateArrival.ToUnixTimeMilliseconds(),
            ["data"] = Convert.ToBase64String(r.Data),
            ["kinesisRecordMetadata"] = new JsonObject
            {
                ["shardId"] = r.ShardId,
                ["partitionKey"] = r.PartitionKey,
                ["approximateArrivalTimestamp"] = r.ApproximateArrival.ToUnixTimeMilliseconds(),
                ["sequenceNumber"] = r.SequenceNumber,
                ["subsequenceNumber"] = 0,
            },
        }).ToArray()),
    };

    public static string DeliveryStreamArn(string name) =>
        string.Create(CultureInfo.InvariantCulture, $"arn:aws:firehose:{LocalCredentials.Region}:{LocalCredentials.AccountId}:deliverystream/{name}");

    /// <summary>The JSON line Firehose writes under the error prefix for a record it could not deliver.</summary>
    public static JsonObject ErrorRecord(FirehoseSourceRecord r, int attempts, string errorCode, string errorMessage, string lambdaArn, DateTimeOffset ended) => new()
    {
        ["attemptsMade"] = attempts,
        ["arrivalTimestamp"] = r.ApproximateArrival.ToUnixTimeMilliseconds(),
        ["errorCode"] = errorCode,
        ["errorMessage"] = errorMessage,
        ["attemptEndingTimestamp"] = ended.ToUnixTimeMilliseconds(),
        ["rawData"] = Convert.ToBase64String(r.Data),
        ["lambdaArn"] = lambdaArn,
    };
}

using System.Globalization;
using System.Text.Json.Nodes;
using Pipelines.LocalCloud.Emulators;

namespace Pipelines.LocalCloud.EventSources;

/// <summary>One element of a Kinesis event's <c>Records</c>, exactly as Lambda sends it (AWS's documented example event).</summary>
public static class KinesisEventJson
{
    public static JsonObject Record(
        string streamArn, string shardId, string sequenceNumber, string partitionKey, ReadOnlySpan<byte> data,
        DateTimeOffset approximateArrival, string functionName) => new()
    {
        ["kinesis"] = new JsonObject
        {
            ["kinesisSchemaVersion"] = "1.0",
            ["partitionKey"] = partitionKey,
            ["sequenceNumber"] = sequenceNumber,
            ["data"] = Convert.ToBase64String(data),
            // Epoch seconds with millisecond fraction, e.g. 1545084650.987.
            ["approximateArrivalTimestamp"] = JsonValue.Create(
                decimal.Round(approximateArrival.ToUnixTimeMilliseconds() / 1000m, 3)),
        },
        ["eventSource"] = "aws:kinesis",
        ["eventVersion"] = "1.0",
        ["eventID"] = $"{shardId}:{sequenceNumber}",
        ["eventName"] = "aws:kinesis:record",
        ["invokeIdentityArn"] = $"arn:aws:iam::{LocalCredentials.AccountId}:role/{functionName}-role",
        ["awsRegion"] = LocalCredentials.Region,
        ["eventSourceARN"] = streamArn,
    };

    public static string StreamArn(string streamName) =>
        string.Create(CultureInfo.InvariantCulture, $"arn:aws:kinesis:{LocalCredentials.Region}:{LocalCredentials.AccountId}:stream/{streamName}");
}

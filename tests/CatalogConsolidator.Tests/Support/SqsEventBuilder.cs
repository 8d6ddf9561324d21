using System.Text.Json;
using System.Text.Json.Nodes;
using Pipelines.Shared.Events;

namespace Pipelines.Tests.CatalogConsolidator.Support;

/// <summary>An object reference inside a notification: <paramref name="RawKey"/> is URL-encoded as S3 sends it.</summary>
internal sealed record S3Ref(string RawKey, DateTimeOffset EventTime, string Bucket = Fixtures.SourceBucket);

/// <summary>
/// Builds SQS events from AWS's own sample shapes in Fixtures/ (an SQS record whose body is an S3 notification),
/// serialises them and decodes them with the production contracts, as the Lambda service would deliver them.
/// </summary>
internal sealed class SqsEventBuilder
{
    private readonly JsonArray _records = [];

    public SqsEventBuilder Message(string messageId, long sentTimestampMs, params S3Ref[] objects)
    {
        var notification = Fixtures.Node("s3-object-created.json");
        var template = notification["Records"]![0]!;
        var records = new JsonArray();
        foreach (var o in objects)
        {
            var r = template.DeepClone();
            r["eventTime"] = o.EventTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);
            r["s3"]!["bucket"]!["name"] = o.Bucket;
            r["s3"]!["bucket"]!["arn"] = "arn:aws:s3:::" + o.Bucket;
            r["s3"]!["object"]!["key"] = o.RawKey;
            records.Add(r);
        }
        notification["Records"] = records;
        return Body(messageId, sentTimestampMs, notification.ToJsonString());
    }

    public SqsEventBuilder TestEvent(string messageId, long sentTimestampMs) =>
        Body(messageId, sentTimestampMs, Fixtures.Node("s3-test-event.json").ToJsonString());

    public SqsEventBuilder Body(string messageId, long sentTimestampMs, string body)
    {
        var message = Fixtures.Node("sqs-message.json");
        message["messageId"] = messageId;
        message["receiptHandle"] = "AQEB" + messageId;
        message["body"] = body;
        message["attributes"]!["SentTimestamp"] = sentTimestampMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _records.Add(message);
        return this;
    }

    public string ToJson() => new JsonObject { ["Records"] = _records.DeepClone() }.ToJsonString();

    public SqsEvent Build() => Decode(ToJson());

    public static SqsEvent Decode(string json) => JsonSerializer.Deserialize(json, EventJsonContext.Default.SqsEvent)!;
}

internal static class Fixtures
{
    public const string SourceBucket = "partner-catalog-source";
    public const string OutputBucket = "partner-catalog-consolidated";

    public static string Path(string name) => System.IO.Path.Combine(NUnit.Framework.TestContext.CurrentContext.TestDirectory, "Fixtures", name);

    public static string Text(string name) => File.ReadAllText(Path(name));

    public static JsonNode Node(string name) => JsonNode.Parse(Text(name))!;
}

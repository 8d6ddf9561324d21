using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Pipelines.LocalCloud.Emulators;

namespace Pipelines.LocalCloud.S3Notifications;

/// <summary>The message body S3 sends to an SQS queue: an event notification, or the test event sent on configuration.</summary>
public static class S3NotificationJson
{
    public static JsonObject Notification(S3ObjectEvent e, string configurationId, string sequencer) => new()
    {
        ["Records"] = new JsonArray(new JsonObject
        {
            ["eventVersion"] = "2.1",
            ["eventSource"] = "aws:s3",
            ["awsRegion"] = LocalCredentials.Region,
            ["eventTime"] = e.EventTime.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
            ["eventName"] = e.EventName,
            ["userIdentity"] = new JsonObject { ["principalId"] = "AWS:" + LocalCredentials.AccessKeyId },
            ["requestParameters"] = new JsonObject { ["sourceIPAddress"] = e.SourceIpAddress ?? "127.0.0.1" },
            ["responseElements"] = new JsonObject
            {
                ["x-amz-request-id"] = RandomHex(8),
                ["x-amz-id-2"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)),
            },
            ["s3"] = new JsonObject
            {
                ["s3SchemaVersion"] = "1.0",
                ["configurationId"] = configurationId,
                ["bucket"] = new JsonObject
                {
                    ["name"] = e.Bucket,
                    ["ownerIdentity"] = new JsonObject { ["principalId"] = "A" + LocalCredentials.AccountId },
                    ["arn"] = "arn:aws:s3:::" + e.Bucket,
                },
                ["object"] = ObjectJson(e, sequencer),
            },
        }),
    };

    private static JsonObject ObjectJson(S3ObjectEvent e, string sequencer)
    {
        var o = new JsonObject { ["key"] = S3KeyEncoder.Encode(e.Key) };
        if (e.Size is { } size) o["size"] = size;
        if (e.ETag is { } etag) o["eTag"] = etag.Trim('"');
        o["sequencer"] = sequencer;
        return o;
    }

    /// <summary>What S3 sends once when a notification configuration is created.</summary>
    public static JsonObject TestEvent(string bucket, DateTimeOffset at) => new()
    {
        ["Service"] = "Amazon S3",
        ["Event"] = "s3:TestEvent",
        ["Time"] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        ["Bucket"] = bucket,
        ["RequestId"] = RandomHex(8),
        ["HostId"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)),
    };

    private static string RandomHex(int bytes) => Convert.ToHexString(RandomNumberGenerator.GetBytes(bytes));
}

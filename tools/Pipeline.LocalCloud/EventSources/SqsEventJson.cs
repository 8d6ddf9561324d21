using System.Globalization;
using System.Text.Json.Nodes;
using Pipelines.LocalCloud.Emulators;
using Pipelines.Shared.Aws;

namespace Pipelines.LocalCloud.EventSources;

/// <summary>One element of an SQS event's <c>Records</c>, as Lambda sends it (AWS's documented example event).</summary>
public static class SqsEventJson
{
    public static JsonObject Record(SqsReceivedMessage m, string queueArn)
    {
        var attributes = new JsonObject();
        foreach (var (name, value) in m.Attributes) attributes[name] = value;
        var messageAttributes = new JsonObject();
        foreach (var (name, value) in m.MessageAttributes)
        {
            var attribute = new JsonObject();
            if (value.StringValue is not null) attribute["stringValue"] = value.StringValue;
            if (value.BinaryValue is not null) attribute["binaryValue"] = Convert.ToBase64String(value.BinaryValue);
            attribute["stringListValues"] = new JsonArray();
            attribute["binaryListValues"] = new JsonArray();
            attribute["dataType"] = value.DataType;
            messageAttributes[name] = attribute;
        }
        var record = new JsonObject
        {
            ["messageId"] = m.MessageId,
            ["receiptHandle"] = m.ReceiptHandle,
            ["body"] = m.Body,
            ["attributes"] = attributes,
            ["messageAttributes"] = messageAttributes,
            ["md5OfBody"] = m.MD5OfBody ?? Md5Hex(m.Body),
        };
        if (m.MD5OfMessageAttributes is not null) record["md5OfMessageAttributes"] = m.MD5OfMessageAttributes;
        record["eventSource"] = "aws:sqs";
        record["eventSourceARN"] = queueArn;
        record["awsRegion"] = LocalCredentials.Region;
        return record;
    }

    public static string QueueArn(string queueName) =>
        string.Create(CultureInfo.InvariantCulture, $"arn:aws:sqs:{LocalCredentials.Region}:{LocalCredentials.AccountId}:{queueName}");

#pragma warning disable CA5351 // MD5 is what SQS uses for md5OfBody; not a security use.
    private static string Md5Hex(string body) =>
        Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(System.Text.Encoding.UTF8.GetBytes(body)));
#pragma warning restore CA5351
}

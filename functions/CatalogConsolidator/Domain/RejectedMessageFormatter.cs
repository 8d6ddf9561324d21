using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipelines.Catalog.Domain;

/// <summary>
/// The record kept in <c>rejected/</c> for an SQS message whose body is not an S3 notification at all. Such a message
/// can never succeed, so rather than letting it fail ten times on its way to the DLQ (ten pointless batches, and the
/// DLQ would not say why), it is written here once with the reason and acknowledged.
/// </summary>
internal static class RejectedMessageFormatter
{
    public const int MaxBodyChars = 64 * 1024;
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Format(string reason, string messageId, string eventSourceArn, long? sentTimestampMs, string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, Options))
        {
            json.WriteStartObject();
            json.WriteString("reason", reason);
            json.WriteString("source", "sqs:" + messageId);
            json.WriteString("message_id", messageId);
            json.WriteString("event_source_arn", eventSourceArn);
            if (sentTimestampMs is { } sent) json.WriteNumber("sent_timestamp", sent);
            json.WriteNumber("body_chars", body.Length);
            json.WriteString("body", Excerpt(body));
            if (body.Length > MaxBodyChars) json.WriteBoolean("body_truncated", true);
            json.WriteEndObject();
        }
        stream.WriteByte((byte)'\n');
        return stream.ToArray();
    }

    private static string Excerpt(string body)
    {
        if (body.Length <= MaxBodyChars) return body;
        var end = char.IsHighSurrogate(body[MaxBodyChars - 1]) ? MaxBodyChars - 1 : MaxBodyChars; // never split a pair
        return body[..end];
    }
}

using System.Globalization;
using System.Text.Json;
using Pipelines.Catalog.Domain;
using Pipelines.Shared.Events;

namespace Pipelines.Catalog.Processing;

/// <summary>One object named by an S3 record inside a message.</summary>
internal sealed record PlannedObject(int MessageIndex, int RecordIndex, SourceObject Source, DateTimeOffset EventTime);

/// <summary>What one SQS message asks for, decided before any object is read.</summary>
internal sealed class PlannedMessage(int index, SqsMessage message)
{
    public int Index { get; } = index;
    public SqsMessage Message { get; } = message;
    public string MessageId => Message.MessageId;
    public List<PlannedObject> Objects { get; } = [];
    /// <summary>Set when the body can never be processed (not an S3 notification); the message goes to rejected/.</summary>
    public string? RejectReason { get; set; }
    public bool IsTestEvent { get; set; }

    /// <summary>SentTimestamp (epoch ms): the same on every redelivery, so names built from it are stable.</summary>
    public long? SentTimestampMs =>
        Message.Attributes.TryGetValue("SentTimestamp", out var raw) &&
        long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) ? ms : null;
}

/// <summary>Decodes every message body and numbers the objects for tie-breaking.</summary>
internal static class BatchPlanner
{
    public static (IReadOnlyList<PlannedMessage> Messages, IReadOnlyList<SourceObject> Sources) Plan(SqsEvent sqsEvent)
    {
        ArgumentNullException.ThrowIfNull(sqsEvent);
        var messages = new List<PlannedMessage>(sqsEvent.Records.Count);
        var found = new List<(PlannedMessage Message, int Record, S3EventRecord S3)>();
        for (var i = 0; i < sqsEvent.Records.Count; i++)
        {
            var planned = new PlannedMessage(i, sqsEvent.Records[i]);
            messages.Add(planned);
            Decode(planned, found);
        }

        // "Later object" must not depend on the order SQS happened to deliver messages in: order by the S3 event.
        var ordered = found
            .OrderBy(f => f.S3.EventTime)
            .ThenBy(f => f.S3.S3.Bucket.Name, StringComparer.Ordinal)
            .ThenBy(f => S3KeyDecoder.Decode(f.S3.S3.Object.Key), StringComparer.Ordinal)
            .ThenBy(f => (f.S3.S3.Object.Sequencer ?? "").PadLeft(32, '0'), StringComparer.Ordinal)
            .ThenBy(f => f.Message.MessageId, StringComparer.Ordinal)
            .ThenBy(f => f.Record)
            .ToList();
        var sources = new List<SourceObject>(ordered.Count);
        foreach (var (message, record, s3) in ordered)
        {
            var key = s3.S3.Object.DecodedKey;
            var source = new SourceObject(sources.Count, s3.S3.Bucket.Name, key, SourceKeyDate.TryParse(key));
            sources.Add(source);
            message.Objects.Add(new PlannedObject(message.Index, record, source, s3.EventTime));
        }
        foreach (var m in messages) m.Objects.Sort((a, b) => a.RecordIndex.CompareTo(b.RecordIndex));
        return (messages, sources);
    }

    private static void Decode(PlannedMessage planned, List<(PlannedMessage, int, S3EventRecord)> found)
    {
        S3EventNotification? notification;
        try
        {
            notification = JsonSerializer.Deserialize(planned.Message.Body, EventJsonContext.Default.S3EventNotification);
        }
        catch (JsonException e)
        {
            planned.RejectReason = "body is not JSON: " + e.Message;
            return;
        }

        if (notification is null)
        {
            planned.RejectReason = "body is not an S3 event notification (JSON null)";
            return;
        }
        if (notification.IsTestEvent)
        {
            planned.IsTestEvent = true;
            return;
        }
        if (notification.Records is not { Count: > 0 } records)
        {
            planned.RejectReason = "body is not an S3 event notification (no Records)";
            return;
        }

        for (var r = 0; r < records.Count; r++)
        {
            var record = records[r];
            if (string.IsNullOrEmpty(record.S3.Bucket.Name) || string.IsNullOrEmpty(record.S3.Object.Key))
            {
                planned.RejectReason = $"S3 record {r} names no bucket or key";
                return;
            }
        }
        for (var r = 0; r < records.Count; r++)
        {
            // Only creations carry a file to read; anything else (a misconfigured delete notification) is skipped.
            if (records[r].EventName.StartsWith("ObjectCreated", StringComparison.Ordinal)) found.Add((planned, r, records[r]));
        }
    }
}

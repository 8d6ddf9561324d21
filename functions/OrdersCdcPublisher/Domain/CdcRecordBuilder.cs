using System.Text.Json;
using Pipelines.Shared.Events;
using Pipelines.Shared.Text;

namespace Pipelines.Orders.Cdc.Domain;

/// <summary>A CDC record ready for the sales stream, or why its stream record can never be published.</summary>
internal readonly record struct CdcBuildResult(string? OrderId, byte[]? Json, string? RejectReason)
{
    public bool IsOk => Json is not null;
}

/// <summary>
/// Shapes one DynamoDB stream record as the CDC record consumers read: the order's attributes (NewImage, or
/// OldImage for REMOVE) as plain JSON with orderid first, then cdc_event_type, cdc_timestamp (ISO 8601 UTC from
/// ApproximateCreationDateTime), cdc_sequence_number (the consumers' dedup key) and cdc_ttl_expired.
/// </summary>
/// <remarks>
/// This is the object-model path: the handler transcodes ordinary records straight from the event bytes
/// (<see cref="StreamRecordTranscoder"/>, byte-identical output) and builds here only the records that transcoder hands
/// over (rejects, odd shapes) and every record of an event it does not read. Reject reasons are decided here.
/// </remarks>
internal static class CdcRecordBuilder
{
    public const string OrderIdAttribute = CdcFields.OrderId;

    public static CdcBuildResult Build(DynamoDBStreamRecord record)
    {
        var eventName = record.EventName;
        var stream = record.Dynamodb;
        // REMOVE carries the deleted item in OldImage; with a narrower stream view only Keys may be present.
        var image = (eventName == DynamoDBStreamRecord.Remove ? stream.OldImage : stream.NewImage) ?? stream.Keys;
        var orderId = StringAttribute(stream.Keys) ?? StringAttribute(image);

        if (eventName is not (DynamoDBStreamRecord.Insert or DynamoDBStreamRecord.Modify or DynamoDBStreamRecord.Remove))
            return Reject($"unknown eventName '{eventName}'", orderId);
        if (string.IsNullOrEmpty(stream.SequenceNumber))
            return Reject("stream record has no SequenceNumber", orderId);
        if (string.IsNullOrEmpty(orderId))
            return Reject("no orderid (type S) in Keys or the item image", null);

        var ttlExpired = eventName == DynamoDBStreamRecord.Remove && record.UserIdentity?.IsTimeToLiveDelete == true;
        try
        {
            return new CdcBuildResult(orderId, Write(orderId, image, eventName, stream, ttlExpired), null);
        }
        catch (InvalidAttributeValueException e)
        {
            return Reject(e.Message, orderId);
        }
    }

    private static byte[] Write(string orderId, Dictionary<string, AttributeValue>? image, string eventName, StreamRecord stream, bool ttlExpired)
    {
        var writer = ReusableJsonWriter.Start(CdcFields.WriterOptions, out var buffer);
        {
            writer.WriteStartObject();
            writer.WriteString(OrderIdAttribute, orderId);
            foreach (var (name, value) in image ?? [])
            {
                if (CdcFields.IsReserved(name)) continue;
                writer.WritePropertyName(name);
                AttributeValueJson.WriteValue(writer, value ?? throw new InvalidAttributeValueException(name, "null value"), name);
            }
            writer.WriteString("cdc_event_type", eventName);
            if (stream.ApproximateCreationTime is { } created) writer.WriteString("cdc_timestamp", Iso8601.FormatUtcMillis(created));
            else writer.WriteNull("cdc_timestamp");
            writer.WriteString("cdc_sequence_number", stream.SequenceNumber);
            writer.WriteBoolean("cdc_ttl_expired", ttlExpired);
            writer.WriteEndObject();
            writer.Flush();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static string? StringAttribute(Dictionary<string, AttributeValue>? attributes) =>
        attributes is not null && attributes.TryGetValue(OrderIdAttribute, out var v) ? v?.S : null;

    /// <summary>A record that can never be published; the orderid, when known, helps find it among the rejects.</summary>
    private static CdcBuildResult Reject(string reason, string? orderId) => new(orderId, null, reason);
}

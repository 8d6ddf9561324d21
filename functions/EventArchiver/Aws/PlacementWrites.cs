using System.Text.Json;
using Pipelines.Events.Archiving;
using Pipelines.Events.Domain;
using Pipelines.Shared.Aws.DynamoDb;

namespace Pipelines.Events.Aws;

/// <summary>
/// Saved placements as BatchWriteItem calls, <c>{"RequestItems":{"&lt;table&gt;":[{"PutRequest":{"Item":{..}}},..]}}</c>:
/// a winning record's claim item <c>{event_uuid, claimed_by, object_key, expires_at}</c>, or a duplicate's own item
/// <c>{event_uuid: "&lt;uuid&gt;#dup#shard:seq", object_key, expires_at}</c>.
/// </summary>
internal static class PlacementWrites
{
    /// <summary>BatchWriteItem's limit on requests per call.</summary>
    public const int MaxPerCall = 25;

    /// <summary>Puts of <paramref name="placements"/>[<paramref name="start"/>, +<paramref name="count"/>).</summary>
    public static DynamoJsonBody Write(JsonEncodedText table, IReadOnlyList<Placement> placements, int start, int count, long expiresAtEpochSeconds)
    {
        var writer = DynamoJsonBody.Start(out var output);
        StartRequests(writer, table);
        writer.WriteStartArray();
        for (var i = start; i < start + count; i++)
        {
            var p = placements[i];
            writer.WriteStartObject();
            writer.WriteStartObject("PutRequest"u8);
            writer.WriteStartObject("Item"u8);
            if (p.Kind == ArchiveKind.Events)
            {
                DynamoAttributes.WriteString(writer, DynamoAttributes.KeyName, p.UuidKey);
                DynamoAttributes.WriteRecordId(writer, DynamoAttributes.ClaimedByName, p.Id);
            }
            else
            {
                DynamoAttributes.WriteString(writer, DynamoAttributes.KeyName, DynamoDbClaimStore.DuplicateKey(p.UuidKey, p.Id));
            }
            DynamoAttributes.WriteString(writer, DynamoAttributes.ObjectKeyName, p.ObjectKey);
            DynamoAttributes.WriteNumber(writer, DynamoAttributes.ExpiresAtName, expiresAtEpochSeconds);
            writer.WriteEndObject();
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        EndRequests(writer);
        return DynamoJsonBody.Complete(writer, output);
    }

    /// <summary>The writes DynamoDB left unprocessed, sent again exactly as it returned them.</summary>
    public static DynamoJsonBody Resend(JsonEncodedText table, UnprocessedWrites unprocessed)
    {
        var writer = DynamoJsonBody.Start(out var output);
        StartRequests(writer, table);
        writer.WriteRawValue(unprocessed.Requests.Span, skipInputValidation: true); // an array the reader has walked
        EndRequests(writer);
        return DynamoJsonBody.Complete(writer, output);
    }

    private static void StartRequests(Utf8JsonWriter writer, JsonEncodedText table)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("RequestItems"u8);
        writer.WritePropertyName(table);
    }

    private static void EndRequests(Utf8JsonWriter writer)
    {
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}

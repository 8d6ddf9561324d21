using System.Text.Json;
using Pipelines.Events.Archiving;
using Pipelines.Shared.Aws.DynamoDb;

namespace Pipelines.Events.Aws;

/// <summary>
/// Who holds refused claims, as one consistent BatchGetItem:
/// <c>{"RequestItems":{"&lt;table&gt;":{"Keys":[{"event_uuid":{"S":..}},..],"ConsistentRead":true,
/// "ProjectionExpression":"event_uuid, claimed_by, object_key"}}}</c>, answered with
/// <c>{"Responses":{"&lt;table&gt;":[item,..]},"UnprocessedKeys":{"&lt;table&gt;":{"Keys":[..],..}}}</c>
/// (the unprocessed keys are a ready RequestItems map: they are sent again as DynamoDB returned them).
/// </summary>
internal static class HolderReads
{
    /// <summary>BatchGetItem's limit on keys per call.</summary>
    public const int MaxKeysPerCall = 100;

    private static readonly JsonEncodedText Projection =
        JsonEncodedText.Encode($"{DynamoAttributes.Key}, {DynamoAttributes.ClaimedBy}, {DynamoAttributes.ObjectKey}");

    /// <summary>The read of the uuids of <paramref name="attempts"/>[<paramref name="indexes"/>[<paramref name="start"/>, +<paramref name="count"/>)].</summary>
    public static DynamoJsonBody Write(JsonEncodedText table, IReadOnlyList<ClaimAttempt> attempts, IReadOnlyList<int> indexes, int start, int count)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        ArgumentNullException.ThrowIfNull(indexes);
        var writer = DynamoJsonBody.Start(out var output);
        writer.WriteStartObject();
        writer.WriteStartObject("RequestItems"u8);
        writer.WriteStartObject(table);
        writer.WriteStartArray("Keys"u8);
        for (var k = start; k < start + count; k++)
        {
            writer.WriteStartObject();
            DynamoAttributes.WriteString(writer, DynamoAttributes.KeyName, attempts[indexes[k]].UuidKey);
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteBoolean("ConsistentRead"u8, true); // the claim that refused ours must be seen
        writer.WriteString("ProjectionExpression"u8, Projection);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndObject();
        return DynamoJsonBody.Complete(writer, output);
    }

    /// <summary>The keys an answer left unprocessed, sent again exactly as DynamoDB returned them.</summary>
    public static DynamoJsonBody Resend(ReadOnlySpan<byte> unprocessedKeys)
    {
        var writer = DynamoJsonBody.Start(out var output);
        writer.WriteStartObject();
        writer.WritePropertyName("RequestItems"u8);
        writer.WriteRawValue(unprocessedKeys, skipInputValidation: true); // an object the reader has walked
        writer.WriteEndObject();
        return DynamoJsonBody.Complete(writer, output);
    }

    /// <summary>
    /// Adds the items of <paramref name="table"/> in the answer to <paramref name="found"/> (by uuid) and returns the
    /// raw UnprocessedKeys map with how many keys it holds (0 when everything was read).
    /// </summary>
    public static (ReadOnlyMemory<byte> Map, int Keys) Read(ReadOnlyMemory<byte> responseJson, string table, Dictionary<string, ClaimItem> found)
    {
        ArgumentNullException.ThrowIfNull(found);
        var reader = new Utf8JsonReader(responseJson.Span);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException($"Expected an object as the BatchGetItem answer, found {reader.TokenType}.");
        (ReadOnlyMemory<byte> Map, int Keys) unprocessed = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("Responses"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject) ReadResponses(ref reader, table, found);
                else reader.Skip();
            }
            else if (reader.ValueTextEquals("UnprocessedKeys"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }
                var start = (int)reader.TokenStartIndex;
                var keys = CountKeys(ref reader);
                if (keys > 0) unprocessed = (responseJson[start..(int)reader.BytesConsumed], keys);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return unprocessed;
    }

    /// <summary>On <c>{"table":[items],..}</c>'s <c>{</c>: the items of <paramref name="table"/>, by uuid.</summary>
    private static void ReadResponses(ref Utf8JsonReader reader, string table, Dictionary<string, ClaimItem> found)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isOurs = reader.ValueTextEquals(table);
            reader.Read();
            if (!isOurs || reader.TokenType != JsonTokenType.StartArray)
            {
                reader.Skip();
                continue;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                var item = ClaimItem.Read(ref reader);
                if (item.EventUuid is { } uuid) found[uuid] = item;
            }
        }
    }

    /// <summary>On the UnprocessedKeys map's <c>{</c>: reads it to its <c>}</c>, counting the keys of every table.</summary>
    private static int CountKeys(ref Utf8JsonReader reader)
    {
        var keys = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            reader.Read(); // the table's KeysAndAttributes
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isKeys = reader.ValueTextEquals("Keys"u8);
                reader.Read();
                if (!isKeys || reader.TokenType != JsonTokenType.StartArray)
                {
                    reader.Skip();
                    continue;
                }
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    keys++;
                    reader.Skip();
                }
            }
        }
        return keys;
    }
}

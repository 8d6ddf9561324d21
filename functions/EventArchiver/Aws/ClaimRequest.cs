using System.Text.Json;
using Pipelines.Events.Domain;
using Pipelines.Shared.Aws.DynamoDb;

namespace Pipelines.Events.Aws;

/// <summary>
/// The claim as an UpdateItem call: set <c>claimed_by</c> and <c>expires_at</c> if nobody holds the uuid or the
/// claimant already does, returning the old item (ALL_OLD), whose <c>object_key</c> tells a redelivered claimant
/// where an earlier attempt planned its record.
/// </summary>
internal static class ClaimRequest
{
    public const string UpdateExpression = $"SET {DynamoAttributes.ClaimedBy} = :me, {DynamoAttributes.ExpiresAt} = :exp";
    public const string ConditionExpression = $"attribute_not_exists({DynamoAttributes.Key}) OR {DynamoAttributes.ClaimedBy} = :me";

    private static readonly JsonEncodedText Update = JsonEncodedText.Encode(UpdateExpression);
    private static readonly JsonEncodedText Condition = JsonEncodedText.Encode(ConditionExpression);
    private static readonly JsonEncodedText Me = JsonEncodedText.Encode(":me");
    private static readonly JsonEncodedText Expires = JsonEncodedText.Encode(":exp");

    /// <summary>
    /// <c>{"TableName":..,"Key":{"event_uuid":{"S":..}},"UpdateExpression":..,"ConditionExpression":..,
    /// "ExpressionAttributeValues":{":me":{"S":"shard:seq"},":exp":{"N":..}},"ReturnValues":"ALL_OLD"}</c>.
    /// </summary>
    public static DynamoJsonBody Write(JsonEncodedText table, string uuidKey, RecordId claimant, long expiresAtEpochSeconds)
    {
        var writer = DynamoJsonBody.Start(out var output);
        writer.WriteStartObject();
        writer.WriteString("TableName"u8, table);
        writer.WriteStartObject("Key"u8);
        DynamoAttributes.WriteString(writer, DynamoAttributes.KeyName, uuidKey);
        writer.WriteEndObject();
        writer.WriteString("UpdateExpression"u8, Update);
        writer.WriteString("ConditionExpression"u8, Condition);
        writer.WriteStartObject("ExpressionAttributeValues"u8);
        DynamoAttributes.WriteString(writer, Me, claimant.ToString());
        DynamoAttributes.WriteNumber(writer, Expires, expiresAtEpochSeconds);
        writer.WriteEndObject();
        writer.WriteString("ReturnValues"u8, "ALL_OLD"u8);
        writer.WriteEndObject();
        return DynamoJsonBody.Complete(writer, output);
    }

    /// <summary>
    /// The old item's <c>object_key</c> string from an UpdateItem answer, <c>{"Attributes":{"object_key":{"S":..},..}}</c>
    /// (just <c>{}</c> when there was no item); null when absent, empty or not a string.
    /// </summary>
    public static string? PlacementOf(ReadOnlySpan<byte> responseJson)
    {
        if (responseJson.IsEmpty) return null;
        var reader = new Utf8JsonReader(responseJson);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException($"Expected an object as the UpdateItem answer, found {reader.TokenType}.");
        string? placement = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isAttributes = reader.ValueTextEquals("Attributes"u8);
            reader.Read();
            if (isAttributes && reader.TokenType == JsonTokenType.StartObject) placement = ReadObjectKey(ref reader);
            else reader.Skip();
        }
        return string.IsNullOrEmpty(placement) ? null : placement;
    }

    /// <summary>On the item's <c>{</c>: reads it to its <c>}</c>, returning <c>object_key</c>'s S value.</summary>
    private static string? ReadObjectKey(ref Utf8JsonReader reader)
    {
        string? found = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isObjectKey = reader.ValueTextEquals(DynamoAttributes.ObjectKeyName.EncodedUtf8Bytes);
            reader.Read();
            if (!isObjectKey || reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isString = reader.ValueTextEquals("S"u8);
                reader.Read();
                if (isString && reader.TokenType == JsonTokenType.String) found = reader.GetString();
                else reader.Skip();
            }
        }
        return found;
    }
}

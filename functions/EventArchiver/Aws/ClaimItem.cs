using System.Text.Json;

namespace Pipelines.Events.Aws;

/// <summary>The string attributes of a dedup table item the claim needs: its key, holder and planned object.</summary>
internal sealed record ClaimItem(string? EventUuid, string? ClaimedBy, string? ObjectKey)
{
    /// <summary>On an item's <c>{</c> (DynamoDB JSON, <c>{"name":{"S":..},..}</c>): reads it to its <c>}</c>.</summary>
    public static ClaimItem Read(ref Utf8JsonReader reader)
    {
        string? uuid = null, claimedBy = null, objectKey = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(DynamoAttributes.KeyName.EncodedUtf8Bytes)) uuid = ReadString(ref reader);
            else if (reader.ValueTextEquals(DynamoAttributes.ClaimedByName.EncodedUtf8Bytes)) claimedBy = ReadString(ref reader);
            else if (reader.ValueTextEquals(DynamoAttributes.ObjectKeyName.EncodedUtf8Bytes)) objectKey = ReadString(ref reader);
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return new ClaimItem(uuid, claimedBy, objectKey);
    }

    /// <summary>On an attribute's name: its <c>S</c> value (null for another type).</summary>
    private static string? ReadString(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }
        string? value = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isString = reader.ValueTextEquals("S"u8);
            reader.Read();
            if (isString && reader.TokenType == JsonTokenType.String) value = reader.GetString();
            else reader.Skip();
        }
        return value;
    }
}

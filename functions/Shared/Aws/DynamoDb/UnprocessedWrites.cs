using System.Text.Json;

namespace Pipelines.Shared.Aws.DynamoDb;

/// <summary>
/// The writes of one table a BatchWriteItem answer, <c>{"UnprocessedItems":{"&lt;table&gt;":[..]},..}</c>, left
/// unprocessed (throttled): the raw JSON array, to be sent again as is, and how many requests it holds.
/// </summary>
public readonly record struct UnprocessedWrites(ReadOnlyMemory<byte> Requests, int Count)
{
    /// <summary>Reads <paramref name="responseJson"/>; <see cref="Count"/> is 0 when DynamoDB took every write.</summary>
    public static UnprocessedWrites Read(ReadOnlyMemory<byte> responseJson, string table)
    {
        if (responseJson.IsEmpty) return default;
        var reader = new Utf8JsonReader(responseJson.Span);
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException($"Expected an object as the BatchWriteItem answer, found {reader.TokenType}.");
        var found = default(UnprocessedWrites);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isUnprocessed = reader.ValueTextEquals("UnprocessedItems"u8);
            reader.Read();
            if (!isUnprocessed || reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isOurs = reader.ValueTextEquals(table);
                reader.Read();
                if (isOurs && reader.TokenType == JsonTokenType.StartArray) found = ReadArray(ref reader, responseJson);
                else reader.Skip();
            }
        }
        return found;
    }

    /// <summary>On the array's <c>[</c>: counts its requests and keeps its bytes.</summary>
    private static UnprocessedWrites ReadArray(ref Utf8JsonReader reader, ReadOnlyMemory<byte> json)
    {
        var start = (int)reader.TokenStartIndex;
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            count++;
            reader.Skip();
        }
        return count == 0 ? default : new UnprocessedWrites(json[start..(int)reader.BytesConsumed], count);
    }
}

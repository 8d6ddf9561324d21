using System.Text;
using System.Text.Json;
using Pipelines.Reviews.Domain;
using Pipelines.Shared.Aws.DynamoDb;

namespace Pipelines.Reviews.Storage;

/// <summary>
/// Reads a BatchWriteItem answer, <c>{"UnprocessedItems":{"&lt;table&gt;":[{"PutRequest":{"Item":{..}}},..]},..}</c>,
/// down to the review ids DynamoDB did not take (throttled), so they can be matched back to the batch's items.
/// </summary>
internal static class UnprocessedItems
{
    /// <summary>The ids of the puts left unprocessed in <paramref name="table"/>; null when DynamoDB took every put.</summary>
    public static List<string>? ReviewIds(ReadOnlyMemory<byte> responseJson, string table)
    {
        var unprocessed = UnprocessedWrites.Read(responseJson, table);
        if (unprocessed.Count == 0) return null;
        var reader = new Utf8JsonReader(unprocessed.Requests.Span);
        reader.Read(); // the array's [
        List<string>? ids = null;
        ReadPuts(ref reader, ref ids);
        return ids;
    }

    // Where a put keeps its key: {"PutRequest":{"Item":{"review_id":{"S":".."},..}}}.
    private static readonly byte[][] IdPath = [.. new[] { "PutRequest", "Item", ReviewFields.ReviewId, "S" }.Select(Encoding.UTF8.GetBytes)];

    /// <summary>Reads the array of unprocessed puts, noting each one's review id.</summary>
    private static void ReadPuts(ref Utf8JsonReader reader, ref List<string>? ids)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            var id = ReadAlongIdPath(ref reader, 0)
                ?? throw new JsonException($"An unprocessed put in the BatchWriteItem answer has no {ReviewFields.ReviewId}.");
            (ids ??= []).Add(id);
        }
    }

    /// <summary>On an object's <c>{</c>: reads it to its <c>}</c>, following <see cref="IdPath"/> from <paramref name="step"/>.</summary>
    private static string? ReadAlongIdPath(ref Utf8JsonReader reader, int step)
    {
        string? found = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var onPath = reader.ValueTextEquals(IdPath[step]);
            reader.Read();
            if (onPath && step == IdPath.Length - 1 && reader.TokenType == JsonTokenType.String) found = reader.GetString();
            else if (onPath && step < IdPath.Length - 1 && reader.TokenType == JsonTokenType.StartObject) found = ReadAlongIdPath(ref reader, step + 1);
            else reader.Skip();
        }
        return found;
    }
}

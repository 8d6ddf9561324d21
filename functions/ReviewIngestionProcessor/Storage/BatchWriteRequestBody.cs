using System.Buffers;
using System.Text.Json;
using Pipelines.Reviews.Domain;
using Pipelines.Shared.Aws.DynamoDb;

namespace Pipelines.Reviews.Storage;

/// <summary>
/// A BatchWriteItem request, <c>{"RequestItems":{"&lt;table&gt;":[{"PutRequest":{"Item":{..}}},..]}}</c>, written from
/// the items' own DynamoDB JSON into a pooled buffer: no SDK AttributeValue objects (1.9 KB per review) in between.
/// Dispose the body once the call is answered.
/// </summary>
internal static class BatchWriteRequestBody
{
    /// <summary>Puts of <paramref name="items"/>[<paramref name="indexes"/>] into <paramref name="table"/>.</summary>
    public static DynamoJsonBody Write(JsonEncodedText table, IReadOnlyList<ReviewItem> items, IReadOnlyList<int> indexes)
    {
        var writer = DynamoJsonBody.Start(out var output);
        writer.WriteStartObject();
        writer.WriteStartObject("RequestItems"u8);
        writer.WriteStartArray(table);
        for (var i = 0; i < indexes.Count; i++)
        {
            writer.WriteStartObject();
            writer.WriteStartObject("PutRequest"u8);
            writer.WritePropertyName("Item"u8);
            // The parser wrote the item with Utf8JsonWriter: it is valid JSON already.
            writer.WriteRawValue(items[indexes[i]].Json.Span, skipInputValidation: true);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();
        return DynamoJsonBody.Complete(writer, output);
    }
}

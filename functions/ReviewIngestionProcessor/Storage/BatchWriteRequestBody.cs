using System.Buffers;
using System.Text.Json;
using Pipelines.Reviews.Domain;
using Pipelines.Shared.Text;

namespace Pipelines.Reviews.Storage;

/// <summary>
/// A BatchWriteItem request, <c>{"RequestItems":{"&lt;table&gt;":[{"PutRequest":{"Item":{..}}},..]}}</c>, written from
/// the items' own DynamoDB JSON into a pooled buffer: no SDK AttributeValue objects (1.9 KB per review) in between.
/// Dispose once the call is answered.
/// </summary>
internal readonly struct BatchWriteRequestBody : IDisposable
{
    private readonly byte[] _buffer;
    private readonly int _length;

    private BatchWriteRequestBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        _length = length;
    }

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, _length);

    /// <summary>Puts of <paramref name="items"/>[<paramref name="indexes"/>] into <paramref name="table"/>.</summary>
    public static BatchWriteRequestBody Write(JsonEncodedText table, IReadOnlyList<ReviewItem> items, IReadOnlyList<int> indexes)
    {
        var writer = ReusableJsonWriter.Start(default, out var output);
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
        writer.Flush();

        // The thread's writer buffer is reused by the next record; the body must outlive the await on the call.
        var buffer = ArrayPool<byte>.Shared.Rent(output.WrittenCount);
        output.WrittenSpan.CopyTo(buffer);
        return new BatchWriteRequestBody(buffer, output.WrittenCount);
    }

    public void Dispose()
    {
        if (_buffer is not null) ArrayPool<byte>.Shared.Return(_buffer);
    }
}

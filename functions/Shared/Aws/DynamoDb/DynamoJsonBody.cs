using System.Buffers;
using System.Text.Json;
using Pipelines.Shared.Text;

namespace Pipelines.Shared.Aws.DynamoDb;

/// <summary>
/// A DynamoDB request body written with the thread's reusable <see cref="Utf8JsonWriter"/> and copied into a pooled
/// buffer, so it outlives the await on the call without an allocation per request. Dispose once the call is answered.
/// </summary>
public readonly struct DynamoJsonBody : IDisposable
{
    private readonly byte[] _buffer;
    private readonly int _length;

    private DynamoJsonBody(byte[] buffer, int length)
    {
        _buffer = buffer;
        _length = length;
    }

    public ReadOnlyMemory<byte> Memory => _buffer.AsMemory(0, _length);

    /// <summary>A writer to write one body with; pass it (and <paramref name="output"/>) to <see cref="Complete"/>.</summary>
    public static Utf8JsonWriter Start(out ArrayBufferWriter<byte> output) => ReusableJsonWriter.Start(default, out output);

    /// <summary>Copies what was written out of the thread's buffer, which the next body reuses.</summary>
    public static DynamoJsonBody Complete(Utf8JsonWriter writer, ArrayBufferWriter<byte> output)
    {
        writer.Flush();
        var buffer = ArrayPool<byte>.Shared.Rent(output.WrittenCount);
        output.WrittenSpan.CopyTo(buffer);
        return new DynamoJsonBody(buffer, output.WrittenCount);
    }

    public void Dispose()
    {
        if (_buffer is not null) ArrayPool<byte>.Shared.Return(_buffer);
    }
}

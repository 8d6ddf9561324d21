using System.Buffers;
using System.Text.Json;

namespace Pipelines.Shared.Text;

/// <summary>
/// One buffer and Utf8JsonWriter per thread, reset for every record. A fresh ArrayBufferWriter per record cost
/// a 4 KB array each time (Utf8JsonWriter asks for at least 4 KB), which was most of the allocation per record.
/// Callers copy <see cref="ArrayBufferWriter{T}.WrittenSpan"/> out before the next <see cref="Start"/>.
/// </summary>
public static class ReusableJsonWriter
{
    // A buffer grown by one huge record is dropped rather than kept for the life of the process.
    private const int MaxRetainedBytes = 256 * 1024;

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;
    // The options the cached writer was made from: Utf8JsonWriter.Options normalises some (MaxDepth 0 -> 1000).
    [ThreadStatic] private static JsonWriterOptions t_options;

    public static Utf8JsonWriter Start(JsonWriterOptions options, out ArrayBufferWriter<byte> buffer)
    {
        buffer = t_buffer is { Capacity: <= MaxRetainedBytes } cached ? cached : (t_buffer = new ArrayBufferWriter<byte>(4096));
        buffer.ResetWrittenCount();
        if (t_writer is { } writer && SameOptions(t_options, options))
        {
            writer.Reset(buffer);
            return writer;
        }
        t_options = options;
        return t_writer = new Utf8JsonWriter(buffer, options);
    }

    // Several callers may share a thread (the benchmark runs every function on one): reuse only an identical writer.
    private static bool SameOptions(JsonWriterOptions a, JsonWriterOptions b) =>
        a.Encoder == b.Encoder && a.Indented == b.Indented && a.SkipValidation == b.SkipValidation &&
        a.MaxDepth == b.MaxDepth && a.IndentCharacter == b.IndentCharacter && a.IndentSize == b.IndentSize &&
        a.NewLine == b.NewLine;
}

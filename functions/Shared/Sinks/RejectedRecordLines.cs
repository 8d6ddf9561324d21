using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Pipelines.Shared.Text;

namespace Pipelines.Shared.Sinks;

/// <summary>
/// Formats rejected records as JSON lines: <c>reason</c>, <c>source</c>, <c>partition_key</c>, <c>shard_id</c>,
/// <c>approximate_arrival</c> (ISO 8601 UTC), <c>data_base64</c> always, and <c>data_text</c> when the bytes are UTF-8.
/// </summary>
public static class RejectedRecordLines
{
    public const string ContentType = "application/x-ndjson";

    // Relaxed escaping keeps non-ASCII text readable; the writer still escapes quotes and control characters.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    public static byte[] Format(IReadOnlyList<RejectedRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var buffer = new ArrayBufferWriter<byte>();
        foreach (var record in records)
        {
            WriteLine(buffer, record);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void WriteLine(IBufferWriter<byte> output, RejectedRecord record)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(record);
        using (var writer = new Utf8JsonWriter(output, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("reason", record.Reason);
            writer.WriteString("source", record.SourceId);
            WriteOptional(writer, "partition_key", record.PartitionKey);
            WriteOptional(writer, "shard_id", record.ShardId);
            if (record.ApproximateArrival is { } arrival)
            {
                writer.WriteString("approximate_arrival", Iso8601.FormatUtcMillis(arrival));
            }
            else
            {
                writer.WriteNull("approximate_arrival");
            }

            writer.WriteBase64String("data_base64", record.Data.Span);
            if (Utf8.IsValid(record.Data.Span))
            {
                writer.WriteString("data_text", record.Data.Span);
            }

            writer.WriteEndObject();
        }

        output.Write("\n"u8);
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}

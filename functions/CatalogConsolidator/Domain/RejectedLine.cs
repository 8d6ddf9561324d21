using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Pipelines.Catalog.Domain;

/// <summary>
/// Formats the record written to <c>rejected/</c> for a line that can never be processed: where it came from,
/// why it was refused, and (up to <see cref="MaxExcerptBytes"/>) what it said, so someone can fix the partner file.
/// </summary>
internal sealed class RejectedLineFormatter : IDisposable
{
    public const int MaxExcerptBytes = 16 * 1024;
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _json;

    public RejectedLineFormatter() => _json = new Utf8JsonWriter(_buffer, Options);

    public ReadOnlySpan<byte> Format(string reason, SourceObject source, long lineNumber, string messageId, ReadOnlySequence<byte> line, long lineLength)
    {
        ArgumentNullException.ThrowIfNull(source);
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _json.WriteStartObject();
        _json.WriteString("reason", reason);
        _json.WriteString("source", source.Uri);
        _json.WriteString("source_bucket", source.Bucket);
        _json.WriteString("source_key", source.Key);
        _json.WriteNumber("line_number", lineNumber);
        _json.WriteString("message_id", messageId);
        _json.WriteNumber("line_bytes", lineLength);

        var excerptLength = (int)Math.Min(line.Length, MaxExcerptBytes);
        var excerpt = ArrayPool<byte>.Shared.Rent(Math.Max(1, excerptLength));
        try
        {
            line.Slice(0, excerptLength).CopyTo(excerpt);
            var bytes = excerpt.AsSpan(0, excerptLength);
            if (excerptLength < line.Length) bytes = TrimPartialCharacter(bytes);
            if (Utf8.IsValid(bytes)) _json.WriteString("line", bytes);
            else _json.WriteBase64String("line_base64", bytes);
            if (bytes.Length < lineLength) _json.WriteBoolean("line_truncated", true);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(excerpt);
        }
        _json.WriteEndObject();
        _json.Flush();
        return _buffer.WrittenSpan;
    }

    /// <summary>Drops a UTF-8 sequence cut in half by truncation.</summary>
    private static Span<byte> TrimPartialCharacter(Span<byte> bytes)
    {
        var lead = bytes.Length - 1;
        while (lead > 0 && bytes.Length - lead < 4 && (bytes[lead] & 0xC0) == 0x80) lead--;
        if (lead < 0 || bytes[lead] < 0xC0) return bytes; // ends in ASCII (or is not UTF-8 anyway)
        var expected = bytes[lead] >= 0xF0 ? 4 : bytes[lead] >= 0xE0 ? 3 : 2;
        return bytes.Length - lead == expected ? bytes : bytes[..lead];
    }

    public void Dispose() => _json.Dispose();
}

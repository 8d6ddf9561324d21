using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipelines.Orders.Transform.Domain;

/// <summary>
/// Turns one CDC record (the JSON the orders-cdc-publisher put on the sales stream) into the flat line
/// Glue/Athena read: exactly orderid, product_name, quantity, price, cdc_event_type, creation_datetime,
/// cdc_timestamp, newline-terminated so the JSON SerDe sees one row per line. Never throws.
/// </summary>
/// <remarks>
/// One instance serves a whole batch and is not thread-safe: it keeps its line buffer, JSON writer and field buffer
/// from record to record, so a record allocates nothing unless it fails (the reason is a string).
/// </remarks>
internal sealed class OrderLineTransform : IDisposable
{
    // Relaxed escaping keeps non-ASCII text as UTF-8 (the default encoder would turn "é" into 6 bytes).
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Disallow };

    private readonly ArrayBufferWriter<byte> _line = new(1024);
    private readonly Utf8JsonWriter _writer;
    private byte[] _fieldValues = new byte[1024];

    public OrderLineTransform() => _writer = new Utf8JsonWriter(_line, WriterOptions);

    public void Dispose() => _writer.Dispose();

    /// <summary>Transforms one record; an Ok result's line is valid until the next call.</summary>
    public OrderLineResult Transform(ReadOnlySpan<byte> cdcJson)
    {
        try
        {
            return TransformCore(cdcJson);
        }
        catch (JsonException e)
        {
            return OrderLineResult.Failed($"not valid JSON: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            return OrderLineResult.Failed($"not valid JSON: {e.Message}");
        }
    }

    private OrderLineResult TransformCore(ReadOnlySpan<byte> cdcJson)
    {
        // Captured values are never longer than the tokens they come from, so a buffer as long as the record holds them.
        if (_fieldValues.Length < cdcJson.Length) _fieldValues = new byte[Math.Max(cdcJson.Length, _fieldValues.Length * 2)];
        var fields = new CdcFields(_fieldValues);
        var reader = new Utf8JsonReader(cdcJson, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            return OrderLineResult.Failed("CDC record is not a JSON object");

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = CdcFields.Identify(ref reader);
            reader.Read();
            if (!fields.TryCapture(field, ref reader, out var error))
                return OrderLineResult.Failed(error);
            reader.Skip(); // nested values of attributes we do not emit
        }
        if (reader.TokenType != JsonTokenType.EndObject)
            return OrderLineResult.Failed("CDC record is not a JSON object");
        // Anything after the object (a second document) makes the record malformed.
        if (reader.Read())
            return OrderLineResult.Failed("unexpected data after the CDC record");

        var missing = fields.Validate(out var partition);
        if (missing is not null) return OrderLineResult.Failed(missing);

        _line.ResetWrittenCount();
        _writer.Reset(_line);
        fields.WriteLine(_writer);
        _writer.Flush();
        _line.Write("\n"u8);
        return OrderLineResult.Ok(_line.WrittenMemory, partition);
    }
}

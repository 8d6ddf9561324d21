using System.Globalization;
using System.Text.Json;
using Pipelines.Orders.Transform.Domain;
using Pipelines.Shared.Events;

namespace Pipelines.Orders.Transform.Firehose;

/// <summary>
/// Writes the transformation response, <c>{"records":[answer,...]}</c>, straight to the output stream: the same JSON
/// the <see cref="KinesisFirehoseResponse"/> contract describes, built without an object per answer. Line data is
/// base64-encoded from its bytes and the partition keys are written inline. Every write has a size function in
/// <see cref="FirehoseAnswerSize"/> that predicts its bytes exactly, which the response budget relies on.
/// </summary>
internal sealed class FirehoseResponseWriter : IDisposable
{
    /// <summary>The defaults: compact, and the default encoder's escaping (the one the contract serializer used).</summary>
    internal static readonly JsonWriterOptions Options;

    // Member names and fixed values, escaped once instead of checked on every write.
    private static readonly JsonEncodedText RecordsName = JsonEncodedText.Encode("records"u8);
    private static readonly JsonEncodedText RecordIdName = JsonEncodedText.Encode("recordId"u8);
    private static readonly JsonEncodedText ResultName = JsonEncodedText.Encode("result"u8);
    private static readonly JsonEncodedText DataName = JsonEncodedText.Encode("data"u8);
    private static readonly JsonEncodedText MetadataName = JsonEncodedText.Encode("metadata"u8);
    private static readonly JsonEncodedText PartitionKeysName = JsonEncodedText.Encode("partitionKeys"u8);
    private static readonly JsonEncodedText YearName = JsonEncodedText.Encode("year"u8);
    private static readonly JsonEncodedText MonthName = JsonEncodedText.Encode("month"u8);
    private static readonly JsonEncodedText DayName = JsonEncodedText.Encode("day"u8);
    private static readonly JsonEncodedText OkResult = JsonEncodedText.Encode("Ok"u8);
    private static readonly JsonEncodedText ProcessingFailedResult = JsonEncodedText.Encode("ProcessingFailed"u8);

    private readonly Stream _output;
    private readonly PooledByteBuffer _pending = new(64 * 1024);
    private readonly Utf8JsonWriter _json;

    public FirehoseResponseWriter(Stream output)
    {
        _output = output;
        _json = new Utf8JsonWriter(_pending, Options);
    }

    /// <summary>Bytes written but not yet sent to the output stream.</summary>
    public long UnsentBytes => _json.BytesPending + _pending.WrittenCount;

    public void WriteStart()
    {
        _json.WriteStartObject();
        _json.WriteStartArray(RecordsName);
    }

    /// <summary>An Ok answer: the line as base64 and the partition as metadata.partitionKeys year/month/day.</summary>
    public void WriteOk(ReadOnlySpan<byte> recordId, ReadOnlySpan<byte> line, OrderPartition partition)
    {
        Span<byte> digits = stackalloc byte[4];
        _json.WriteStartObject();
        _json.WriteString(RecordIdName, recordId);
        _json.WriteString(ResultName, OkResult);
        _json.WriteBase64String(DataName, line);
        _json.WriteStartObject(MetadataName);
        _json.WriteStartObject(PartitionKeysName);
        _json.WriteString(YearName, Digits(partition.Date.Year, "D4", digits));
        _json.WriteString(MonthName, Digits(partition.Date.Month, "D2", digits));
        _json.WriteString(DayName, Digits(partition.Date.Day, "D2", digits));
        _json.WriteEndObject();
        _json.WriteEndObject();
        _json.WriteEndObject();
    }

    /// <summary>A ProcessingFailed answer carrying <paramref name="data"/> (the record's original base64 text, or nothing).</summary>
    public void WriteProcessingFailed(ReadOnlySpan<byte> recordId, ReadOnlySpan<byte> data)
    {
        _json.WriteStartObject();
        _json.WriteString(RecordIdName, recordId);
        _json.WriteString(ResultName, ProcessingFailedResult);
        _json.WriteString(DataName, data);
        _json.WriteEndObject();
    }

    public void WriteEnd()
    {
        _json.WriteEndArray();
        _json.WriteEndObject();
    }

    /// <summary>Sends what has been written so far to the output stream.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        _json.Flush();
        await _output.WriteAsync(_pending.WrittenMemory, cancellationToken);
        _pending.Clear();
    }

    public void Dispose()
    {
        _json.Dispose();
        _pending.Dispose();
    }

    private static ReadOnlySpan<byte> Digits(int value, string format, Span<byte> destination)
    {
        value.TryFormat(destination, out var written, format, CultureInfo.InvariantCulture);
        return destination[..written];
    }
}

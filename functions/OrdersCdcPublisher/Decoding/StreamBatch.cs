using System.Text.Json;
using Pipelines.Orders.Cdc.Domain;
using Pipelines.Shared.Events;
using Pipelines.Shared.Runtime;
using Pipelines.Shared.Buffers;

namespace Pipelines.Orders.Cdc.Decoding;

/// <summary>A stream record's CDC record, or why it can never be published.</summary>
internal readonly record struct CdcRecord(string? OrderId, ReadOnlyMemory<byte> Json, string? RejectReason)
{
    public bool IsOk => RejectReason is null;
}

/// <summary>
/// One invocation's stream records, decoded. Normally every record's CDC record is transcoded straight from the event
/// bytes (<see cref="StreamEventTranscoder"/>). A record the transcoder hands over, and every record of an event it does
/// not read, takes the object-model path instead (DynamoDBEvent + <see cref="CdcRecordBuilder"/>), so rejects, odd
/// shapes and malformed events are answered exactly as before.
/// </summary>
internal sealed class StreamBatch : IDisposable
{
    // Reused by the next invocation (one at a time in Lambda; a concurrent one makes its own).
    private static StreamEventTranscoder? s_idleTranscoder;
    private static List<TranscodedRecord>? s_idleList;

    private readonly ReadOnlyMemory<byte> _payload;
    private List<TranscodedRecord>? _transcoded;
    // Object-model records: every record's on the fallback path, else only those needed (allocated when first needed).
    private DynamoDBStreamRecord?[]? _models;
    private readonly PooledByteArena? _arena;

    private StreamBatch(ReadOnlyMemory<byte> payload, List<TranscodedRecord> transcoded, DynamoDBStreamRecord?[]? models, PooledByteArena arena)
    {
        _payload = payload;
        _transcoded = transcoded;
        _models = models;
        _arena = arena;
        Count = transcoded.Count;
    }

    private StreamBatch(List<DynamoDBStreamRecord> records)
    {
        _models = [.. records];
        Count = records.Count;
    }

    public int Count { get; }

    /// <summary>How many records were transcoded from the bytes (the rest took the object-model path).</summary>
    public int TranscodedCount => _transcoded?.Count(r => r.IsTranscoded) ?? 0;

    public static async Task<StreamBatch> DecodeAsync(InvocationPayload payload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var transcoded = Interlocked.Exchange(ref s_idleList, null) ?? [];
        var arena = new PooledByteArena(128 * 1024);
        if (TryTranscode(payload.Bytes.Span, arena, transcoded, out var models))
            return new StreamBatch(payload.Bytes, transcoded, models, arena);

        arena.Dispose();
        Recycle(transcoded);
        return new StreamBatch((await DeserializeAsync(payload, cancellationToken)).Records);
    }

    /// <summary>The record at <paramref name="position"/> as a CDC record (building it from the object model if need be).</summary>
    public CdcRecord Build(int position)
    {
        if (_transcoded is not null && _transcoded[position] is { IsTranscoded: true } record)
            return new CdcRecord(record.OrderId, record.Cdc, null);
        var built = CdcRecordBuilder.Build(Model(position));
        return new CdcRecord(built.OrderId, built.Json, built.RejectReason);
    }

    /// <summary>The record as the object model reads it: what the rejects bucket stores.</summary>
    public DynamoDBStreamRecord Model(int position)
    {
        if (_transcoded is null) return _models![position]!; // a null element fails in the builder, as it always did
        return (_models ??= new DynamoDBStreamRecord?[_transcoded.Count])[position] ??= Deserialize(_payload.Span, _transcoded[position]);
    }

    /// <summary>The item identifier Lambda's checkpoint needs.</summary>
    public string SequenceNumber(int position) =>
        _transcoded is not null && _transcoded[position] is { IsTranscoded: true } record
            ? StreamRecordTranscoder.StringToken(_payload.Span[record.SequenceNumberAt])
            : Model(position).Dynamodb.SequenceNumber;

    public void Dispose()
    {
        _arena?.Dispose();
        if (_transcoded is not null) Recycle(_transcoded);
        _transcoded = null;
    }

    private static void Recycle(List<TranscodedRecord> list)
    {
        list.Clear();
        s_idleList = list;
    }

    private static bool TryTranscode(ReadOnlySpan<byte> payload, PooledByteArena arena, List<TranscodedRecord> records, out DynamoDBStreamRecord?[]? models)
    {
        models = null;
        var transcoder = Interlocked.Exchange(ref s_idleTranscoder, null) ?? new StreamEventTranscoder();
        try
        {
            if (!transcoder.TryRead(payload, arena, records)) return false;
            for (var i = 0; i < records.Count; i++)
            {
                // Decoded now, so a record the object model cannot read fails the event before anything is published.
                if (!records[i].IsTranscoded) (models ??= new DynamoDBStreamRecord?[records.Count])[i] = Deserialize(payload, records[i]);
            }
            return true;
        }
        catch (Exception)
        {
            // Malformed JSON, text that is not UTF-8, a record the object model cannot read: it is asked again, with
            // the whole event, to fail (or not) with its own error.
            return false;
        }
        finally
        {
            s_idleTranscoder = transcoder;
        }
    }

    private static DynamoDBStreamRecord Deserialize(ReadOnlySpan<byte> payload, TranscodedRecord record) =>
        JsonSerializer.Deserialize(payload.Slice(record.Start, record.Length), EventJsonContext.Default.DynamoDBStreamRecord)
        ?? throw new JsonException("A stream record was JSON null.");

    /// <summary>The whole event through the object model, as JsonHandler decoded it.</summary>
    private static async Task<DynamoDBEvent> DeserializeAsync(InvocationPayload payload, CancellationToken cancellationToken)
    {
        DynamoDBEvent? evt;
        if (payload.WasStreamed)
        {
            using var stream = new MemoryStream(payload.Bytes.ToArray(), writable: false);
            evt = await JsonSerializer.DeserializeAsync(stream, EventJsonContext.Default.DynamoDBEvent, cancellationToken);
        }
        else
        {
            evt = JsonSerializer.Deserialize(payload.Bytes.Span, EventJsonContext.Default.DynamoDBEvent);
        }
        return evt ?? throw new InvalidEventException($"The invocation payload was JSON null; expected a {nameof(DynamoDBEvent)}.");
    }
}

// Frozen copy of the implementation before issue 8 (commit 6947c2a): the oracle the equivalence tests compare the
// streaming handler against. Do not change it to make a test pass.
using System.Buffers;
using System.Text.Json;
using Pipelines.Shared.Events;

namespace Pipelines.Tests.OrdersFirehoseTransform.Legacy;

/// <summary>
/// Keeps the serialized <see cref="KinesisFirehoseResponse"/> under Lambda's 6 MB response limit. Every record
/// must be answered (Firehose matches by recordId), so room for a minimal ProcessingFailed answer is reserved
/// for each record up front; a record's full answer is used only while it still fits on top of that reserve.
/// Sizes are measured by serializing with the same source-generated metadata the runtime uses, so they are exact.
/// </summary>
internal sealed class LegacyResponseBudget : IDisposable
{
    // {"records":[ ... ]}
    private static readonly int EnvelopeBytes = JsonSerializer.SerializeToUtf8Bytes(new KinesisFirehoseResponse(), EventJsonContext.Default.KinesisFirehoseResponse).Length;

    private readonly ArrayBufferWriter<byte> _scratch = new(4096);
    private readonly Utf8JsonWriter _writer;
    private readonly long _limit;
    private long _used;

    /// <param name="limit">Maximum response size in bytes.</param>
    /// <param name="minimalAnswers">The smallest answer each record could get (ProcessingFailed, no data).</param>
    public LegacyResponseBudget(long limit, IReadOnlyList<FirehoseResponseRecord> minimalAnswers)
    {
        _writer = new Utf8JsonWriter(_scratch);
        _limit = limit;
        _used = EnvelopeBytes + Math.Max(0, minimalAnswers.Count - 1); // commas between records
        foreach (var answer in minimalAnswers) _used += Measure(answer);
    }

    /// <summary>Bytes the response takes so far (including every reserved minimal answer).</summary>
    public long Used => _used;

    /// <summary>False when the minimal answers alone do not fit (cannot happen within Firehose's 6 MB input).</summary>
    public bool ReserveFits => _used <= _limit;

    /// <summary>Takes room for <paramref name="answer"/> in place of the record's reserved minimal answer, if it fits.</summary>
    public bool TryUpgrade(FirehoseResponseRecord minimal, FirehoseResponseRecord answer)
    {
        var extra = Measure(answer) - Measure(minimal);
        if (_used + extra > _limit) return false;
        _used += extra;
        return true;
    }

    public void Dispose() => _writer.Dispose();

    private long Measure(FirehoseResponseRecord record)
    {
        _scratch.ResetWrittenCount();
        _writer.Reset(_scratch);
        JsonSerializer.Serialize(_writer, record, EventJsonContext.Default.FirehoseResponseRecord);
        _writer.Flush();
        return _scratch.WrittenCount;
    }
}

using System.Text;
using Pipelines.Orders.Transform.Domain;
using Pipelines.Orders.Transform.Firehose;
using Pipelines.Shared.Observability;

namespace Pipelines.Orders.Transform;

/// <summary>
/// Answers one batch's records, in order, with their flat order line (Ok plus year/month/day partition keys) or
/// ProcessingFailed. One bad record never fails the batch, and the response never exceeds the budget: a record
/// whose answer no longer fits is answered ProcessingFailed with no data, so it reaches the error prefix instead
/// of the whole batch failing. Lives for one invocation; not thread-safe.
/// </summary>
internal sealed class BatchTransform : IDisposable
{
    private const int MaxLoggedFailures = 10; // enough to diagnose without flooding the log on a bad batch
    private const string OverLimitError = "the response would exceed Lambda's 6 MB limit";

    private readonly FirehoseBatch _batch;
    private readonly OrderLineTransform _lines = new();
    private readonly PooledByteBuffer _decoded = new(4096);
    private int _next;

    public BatchTransform(FirehoseBatch batch, long maxResponseBytes)
    {
        _batch = batch;
        Budget = new ResponseBudget(maxResponseBytes, batch.Count);
        for (var i = 0; i < batch.Count; i++)
            Budget.Reserve(FirehoseAnswerSize.ProcessingFailed(FirehoseAnswerSize.JsonString(batch.RecordId(i)), 0));
    }

    private enum Outcome
    {
        Ok,
        /// <summary>ProcessingFailed echoing the original data, as Firehose's blueprints do (the error prefix keeps the raw record either way).</summary>
        FailedWithData,
        /// <summary>ProcessingFailed with no data: the minimal answer every record has room for.</summary>
        FailedWithoutData,
    }

    public ResponseBudget Budget { get; }

    public int Ok { get; private set; }

    public int Failed { get; private set; }

    /// <summary>Records that transformed fine but were answered ProcessingFailed because the response was full.</summary>
    public int OverResponseLimit { get; private set; }

    /// <summary>Answers records until <paramref name="writer"/> holds <paramref name="flushBytes"/> unsent bytes; true while records remain.</summary>
    public bool AnswerSome(FirehoseResponseWriter writer, int flushBytes)
    {
        while (_next < _batch.Count)
        {
            Answer(writer, _next++);
            if (writer.UnsentBytes >= flushBytes) break;
        }
        return _next < _batch.Count;
    }

    public void Dispose()
    {
        _lines.Dispose();
        _decoded.Dispose();
    }

    private void Answer(FirehoseResponseWriter writer, int index)
    {
        var recordId = _batch.RecordId(index);
        var recordIdLength = FirehoseAnswerSize.JsonString(recordId);
        var minimal = FirehoseAnswerSize.ProcessingFailed(recordIdLength, 0);
        var outcome = Transform(index, out var result, out var error);
        var size = outcome switch
        {
            Outcome.Ok => FirehoseAnswerSize.Ok(recordIdLength, result.Line.Length),
            Outcome.FailedWithData => FirehoseAnswerSize.ProcessingFailed(recordIdLength, FirehoseAnswerSize.JsonString(_batch.Data(index))),
            _ => minimal,
        };
        if (!Budget.TryUpgrade(minimal, size))
        {
            if (outcome == Outcome.Ok)
            {
                OverResponseLimit++;
                error = OverLimitError;
            }
            outcome = Outcome.FailedWithoutData;
        }

        switch (outcome)
        {
            case Outcome.Ok:
                writer.WriteOk(recordId, result.Line.Span, result.Partition);
                Ok++;
                return;
            case Outcome.FailedWithData:
                writer.WriteProcessingFailed(recordId, _batch.Data(index));
                break;
            default:
                writer.WriteProcessingFailed(recordId, []);
                break;
        }
        Failed++;
        if (Failed <= MaxLoggedFailures)
            Log.Warn("Record failed transformation", new LogField("recordId", Encoding.UTF8.GetString(recordId)), new LogField("reason", error));
    }

    private Outcome Transform(int index, out OrderLineResult result, out string? error)
    {
        result = default;
        error = null;
        try
        {
            var data = _batch.Data(index);
            _decoded.Clear();
            var decoded = _decoded.GetSpan(Base64Text.MaxDecodedLength(data.Length));
            if (!Base64Text.TryDecode(data, decoded, out var length))
            {
                // Echoing invalid base64 would make the whole response unreadable to Firehose: answer with no data.
                error = "data is not valid base64";
                return Outcome.FailedWithoutData;
            }
            result = _lines.Transform(decoded[..length]);
            if (result.IsOk) return Outcome.Ok;
            error = result.Error;
            return Outcome.FailedWithData;
        }
        catch (Exception e)
        {
            // The domain never throws; this guards the one-record-never-fails-the-batch promise regardless.
            error = $"{e.GetType().Name}: {e.Message}";
            return Outcome.FailedWithData;
        }
    }
}

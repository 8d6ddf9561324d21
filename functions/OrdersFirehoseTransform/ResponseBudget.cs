using Pipelines.Orders.Transform.Firehose;

namespace Pipelines.Orders.Transform;

/// <summary>
/// Keeps the response under Lambda's 6 MB response limit. Every record must be answered (Firehose matches by
/// recordId), so room for a minimal ProcessingFailed answer is reserved for each record up front; a record's full
/// answer is used only while it still fits on top of that reserve. Sizes come from <see cref="FirehoseAnswerSize"/>,
/// which predicts the written bytes exactly, so the budget is exact.
/// </summary>
internal sealed class ResponseBudget
{
    private readonly long _limit;
    private long _used;

    /// <param name="limit">Maximum response size in bytes.</param>
    /// <param name="answerCount">How many answers the response holds (one per record).</param>
    public ResponseBudget(long limit, int answerCount)
    {
        _limit = limit;
        _used = FirehoseAnswerSize.Envelope + Math.Max(0, answerCount - 1); // commas between answers
    }

    /// <summary>Bytes the response takes so far (including every reserved minimal answer).</summary>
    public long Used => _used;

    /// <summary>False when the minimal answers alone do not fit (cannot happen within Firehose's 6 MB input).</summary>
    public bool ReserveFits => _used <= _limit;

    /// <summary>Reserves a record's smallest possible answer (ProcessingFailed, no data).</summary>
    public void Reserve(long minimalAnswerBytes) => _used += minimalAnswerBytes;

    /// <summary>Takes room for an answer of <paramref name="answerBytes"/> in place of the record's reserved minimal answer, if it fits.</summary>
    public bool TryUpgrade(long minimalAnswerBytes, long answerBytes)
    {
        var extra = answerBytes - minimalAnswerBytes;
        if (_used + extra > _limit) return false;
        _used += extra;
        return true;
    }
}

namespace Pipelines.Shared.Resilience;

/// <summary>
/// Bounds an invocation's work by Lambda's deadline: retries that would run past it are cut short so the handler
/// still returns (and reports what failed) instead of being killed mid-write with nothing reported.
/// </summary>
public static class DeadlineBudget
{
    /// <summary>
    /// A source linked to <paramref name="cancellationToken"/> that also cancels <paramref name="margin"/> before the
    /// deadline, or at once when less than that is left. <see cref="TimeSpan.MaxValue"/> (no deadline) adds no timer.
    /// </summary>
    public static CancellationTokenSource Start(TimeSpan remaining, TimeSpan margin, CancellationToken cancellationToken)
    {
        var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (remaining != TimeSpan.MaxValue)
        {
            var left = remaining - margin;
            if (left > TimeSpan.Zero) budget.CancelAfter(left);
            else budget.Cancel();
        }
        return budget;
    }
}

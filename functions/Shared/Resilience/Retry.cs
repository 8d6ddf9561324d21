namespace Pipelines.Shared.Resilience;

/// <summary>Runs an operation again after transient failures, with capped exponential backoff and full jitter.</summary>
public static class Retry
{
    // One delegate for the default jitter source: a method group would allocate a new one on every call.
    private static readonly Func<double> SharedRandom = System.Random.Shared.NextDouble;

    public static async Task ExecuteAsync(
        Func<CancellationToken, Task> operation, RetryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        await ExecuteAsync(
            async ct =>
            {
                await operation(ct).ConfigureAwait(false);
                return true;
            },
            options,
            cancellationToken).ConfigureAwait(false);
    }

    public static async Task<T> ExecuteAsync<T>(
        Func<CancellationToken, Task<T>> operation, RetryOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operation);
        options ??= RetryOptions.Default;
        var maxAttempts = Math.Max(1, options.MaxAttempts);
        var shouldRetry = options.ShouldRetry ?? TransientErrors.IsTransient;
        var delay = options.Delay ?? Task.Delay;
        var random = options.Random ?? SharedRandom;

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await operation(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < maxAttempts
                                       && !cancellationToken.IsCancellationRequested
                                       && shouldRetry(ex, cancellationToken))
            {
                var wait = JitteredDelay(options.DelayCeiling(attempt), random());
                options.OnRetry?.Invoke(attempt, ex, wait);
                await delay(wait, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Full jitter: uniformly anywhere between zero and the ceiling.</summary>
    internal static TimeSpan JitteredDelay(TimeSpan ceiling, double unitRandom)
    {
        var fraction = Math.Clamp(unitRandom, 0, 1);
        return TimeSpan.FromTicks((long)(ceiling.Ticks * fraction));
    }
}

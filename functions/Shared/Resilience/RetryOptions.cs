namespace Pipelines.Shared.Resilience;

/// <summary>
/// How <see cref="Retry"/> retries: at most <see cref="MaxAttempts"/> tries in total, waiting a random time in
/// [0, min(MaxDelay, BaseDelay * 2^(attempt-1))] between them ("full jitter", which spreads competing callers apart).
/// </summary>
public sealed record RetryOptions
{
    /// <summary>Total tries including the first one (1 = no retry).</summary>
    public int MaxAttempts { get; init; } = 5;

    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Which failures are worth another try; defaults to <see cref="TransientErrors.IsTransient(Exception, CancellationToken)"/>.</summary>
    public Func<Exception, CancellationToken, bool>? ShouldRetry { get; init; }

    /// <summary>Waits between tries; replaced in tests so they do not sleep.</summary>
    public Func<TimeSpan, CancellationToken, Task>? Delay { get; init; }

    /// <summary>Uniform random number in [0, 1); replaced in tests to make jitter deterministic.</summary>
    public Func<double>? Random { get; init; }

    /// <summary>Called before each wait with the attempt that failed (1-based), its error and the chosen delay.</summary>
    public Action<int, Exception, TimeSpan>? OnRetry { get; init; }

    public static RetryOptions Default { get; } = new();

    /// <summary>The largest delay before the retry that follows failed attempt <paramref name="attempt"/> (1-based).</summary>
    public TimeSpan DelayCeiling(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var exponent = Math.Min(attempt - 1, 30);
        var ceilingMs = Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(Math.Max(0, ceilingMs));
    }
}

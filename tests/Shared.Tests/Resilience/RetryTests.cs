using FluentAssertions;
using NUnit.Framework;
using Pipelines.Shared.Aws;
using Pipelines.Shared.Resilience;

namespace Pipelines.Tests.Shared.Resilience;

[TestFixture]
public sealed class RetryTests
{
    private static RetryOptions Recording(List<TimeSpan> waits, double random = 1.0, int maxAttempts = 5) => new()
    {
        MaxAttempts = maxAttempts,
        BaseDelay = TimeSpan.FromMilliseconds(100),
        MaxDelay = TimeSpan.FromSeconds(1),
        Random = () => random,
        Delay = (wait, _) =>
        {
            waits.Add(wait);
            return Task.CompletedTask;
        },
    };

    [Test]
    public async Task Transient_failures_are_retried_until_the_operation_succeeds()
    {
        var waits = new List<TimeSpan>();
        var calls = 0;

        var result = await Retry.ExecuteAsync(
            _ => ++calls < 3 ? throw new HttpRequestException("connection reset") : Task.FromResult("done"),
            Recording(waits));

        result.Should().Be("done");
        calls.Should().Be(3);
        waits.Should().Equal(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200));
    }

    [Test]
    public async Task Backoff_doubles_and_is_capped_at_the_max_delay()
    {
        var waits = new List<TimeSpan>();

        await FluentActions.Awaiting(() => Retry.ExecuteAsync(
                _ => throw new IOException("broken pipe"),
                Recording(waits, maxAttempts: 7)))
            .Should().ThrowAsync<IOException>();

        waits.Select(w => w.TotalMilliseconds).Should().Equal(100, 200, 400, 800, 1000, 1000);
    }

    [Test]
    public async Task Full_jitter_picks_anywhere_between_zero_and_the_ceiling()
    {
        var waits = new List<TimeSpan>();

        await FluentActions.Awaiting(() => Retry.ExecuteAsync(_ => throw new TimeoutException(), Recording(waits, random: 0.25, maxAttempts: 4)))
            .Should().ThrowAsync<TimeoutException>();

        waits.Select(w => w.TotalMilliseconds).Should().Equal(25, 50, 100);
    }

    [Test]
    public async Task Real_random_jitter_stays_within_the_ceilings()
    {
        var waits = new List<TimeSpan>();
        var options = Recording(waits, maxAttempts: 6) with { Random = null };

        await FluentActions.Awaiting(() => Retry.ExecuteAsync(_ => throw new TimeoutException(), options)).Should().ThrowAsync<TimeoutException>();

        waits.Should().HaveCount(5);
        for (var i = 0; i < waits.Count; i++)
        {
            waits[i].Should().BeGreaterThanOrEqualTo(TimeSpan.Zero).And.BeLessThanOrEqualTo(options.DelayCeiling(i + 1));
        }
    }

    [Test]
    public async Task Permanent_errors_are_not_retried()
    {
        var waits = new List<TimeSpan>();
        var calls = 0;

        await FluentActions.Awaiting(() => Retry.ExecuteAsync(
                _ =>
                {
                    calls++;
                    throw new AwsServiceException("ValidationException", 400, "bad request");
                },
                Recording(waits)))
            .Should().ThrowAsync<AwsServiceException>();

        calls.Should().Be(1);
        waits.Should().BeEmpty();
    }

    [Test]
    public async Task The_caller_cancelling_stops_retries()
    {
        using var cancel = new CancellationTokenSource();
        var calls = 0;
        var options = new RetryOptions
        {
            MaxAttempts = 10,
            Delay = (_, _) => Task.CompletedTask,
        };

        await FluentActions.Awaiting(() => Retry.ExecuteAsync(
                ct =>
                {
                    calls++;
                    cancel.Cancel();
                    ct.ThrowIfCancellationRequested();
                    return Task.CompletedTask;
                },
                options,
                cancel.Token))
            .Should().ThrowAsync<OperationCanceledException>();

        calls.Should().Be(1);
    }

    [Test]
    public async Task A_custom_predicate_and_the_retry_callback_are_honoured()
    {
        var seen = new List<(int Attempt, string Message)>();
        var calls = 0;
        var options = new RetryOptions
        {
            MaxAttempts = 3,
            ShouldRetry = (ex, _) => ex is InvalidOperationException,
            Delay = (_, _) => Task.CompletedTask,
            OnRetry = (attempt, ex, _) => seen.Add((attempt, ex.Message)),
        };

        await Retry.ExecuteAsync(
            _ => ++calls < 3 ? throw new InvalidOperationException("try " + calls) : Task.CompletedTask,
            options);

        seen.Should().Equal((1, "try 1"), (2, "try 2"));
    }
}

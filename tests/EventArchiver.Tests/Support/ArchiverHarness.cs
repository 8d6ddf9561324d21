using Pipelines.Events.Archiving;
using Pipelines.Shared.Events;
using Pipelines.Shared.Kinesis;
using Pipelines.Shared.Resilience;

namespace Pipelines.Tests.EventArchiver.Support;

/// <summary>The batch processor wired to in-memory sinks sharing one fault injector, invoked like Lambda would.</summary>
internal sealed class ArchiverHarness
{
    public ArchiverHarness(int maxAttempts = 3, int maxClaimsPerCall = 25, bool refusesWithoutHolder = false)
    {
        Claims = new InMemoryClaimStore(Faults, maxClaimsPerCall, refusesWithoutHolder);
        Archive = new InMemoryArchiveStore(Faults);
        Rejects = new InMemoryRejectSink(Faults);
        // No sleeping between in-invocation retries; attempts as configured.
        Retry = new RetryOptions { MaxAttempts = maxAttempts, Delay = (_, _) => Task.CompletedTask };
        var archiver = new ExactlyOnceArchiver(Claims, Archive, new ArchiverOptions { Retry = Retry });
        Processor = new EventBatchProcessor(archiver, Rejects, Retry, TimeProvider.System);
    }

    public Faults Faults { get; } = new();

    public InMemoryClaimStore Claims { get; }

    public InMemoryArchiveStore Archive { get; }

    public InMemoryRejectSink Rejects { get; }

    public RetryOptions Retry { get; }

    public EventBatchProcessor Processor { get; }

    private int _invocations;

    public int Invocations => _invocations;

    /// <summary>Runs one invocation; a crash (the invocation being killed) comes back as <see cref="Invocation.Crashed"/>.</summary>
    public async Task<Invocation> InvokeAsync(KinesisEvent batch)
    {
        Interlocked.Increment(ref _invocations);
        using var invocation = new CancellationTokenSource();
        Faults.Invocation = invocation;
        try
        {
            using var kinesis = KinesisBatch.From(batch);
            var result = await Processor.ProcessAsync(kinesis, CancellationToken.None, invocation.Token);
            return new Invocation(result);
        }
        catch (OperationCanceledException) when (invocation.IsCancellationRequested)
        {
            return Invocation.Crashed;
        }
        finally
        {
            Faults.Invocation = null;
        }
    }
}

internal sealed record Invocation(BatchResult? Result)
{
    public static Invocation Crashed { get; } = new((BatchResult?)null);

    public bool IsCrash => Result is null;

    /// <summary>The sequence number Lambda must resume from, or null when the whole batch was handled.</summary>
    public string? FailedAt => Result?.Response.BatchItemFailures.SingleOrDefault()?.ItemIdentifier;

    public bool Succeeded => Result is not null && FailedAt is null;
}

namespace Pipelines.Tests.EventArchiver.Support;

/// <summary>The sink calls a fault can be injected into.</summary>
internal enum SinkOp
{
    Claim,
    ReadHolders,
    LookupDuplicates,
    SavePlacements,
    Exists,
    Put,
    WriteRejects,
}

internal enum FaultKind
{
    /// <summary>Throttling/5xx before the call has any effect (retried inside the invocation).</summary>
    Transient,

    /// <summary>The call takes effect but its response is lost (a timeout after the write landed).</summary>
    TransientAfterEffect,

    /// <summary>A non-retryable error before any effect (e.g. access denied).</summary>
    Permanent,

    /// <summary>The invocation dies (timeout, out of memory) before the call has any effect.</summary>
    Crash,

    /// <summary>The invocation dies right after the call took effect.</summary>
    CrashAfterEffect,
}

/// <summary>
/// Fault injection shared by the in-memory sinks: rules fire a number of times on matching calls, and random faults
/// fire with a probability while a budget lasts. A crash cancels the current invocation, as Lambda killing it would.
/// </summary>
internal sealed class Faults
{
    private readonly Lock _gate = new();
    private readonly List<Rule> _rules = [];
    private Random? _random;
    private double _probability;
    private int _randomBudget;

    private readonly AsyncLocal<CancellationTokenSource?> _invocation = new();

    /// <summary>
    /// Cancelled by a crash; the harness sets a fresh one per invocation. Async-local, so concurrent invocations
    /// (two shards) each crash only themselves.
    /// </summary>
    public CancellationTokenSource? Invocation
    {
        get => _invocation.Value;
        set => _invocation.Value = value;
    }

    public int Injected { get; private set; }

    /// <summary>Fails the next <paramref name="times"/> calls of <paramref name="op"/> whose key matches.</summary>
    public Faults On(SinkOp op, FaultKind kind, int times = 1, Func<string, bool>? when = null)
    {
        lock (_gate) _rules.Add(new Rule(op, kind, when ?? (_ => true), times));
        return this;
    }

    /// <summary>Every call fails with a random kind with <paramref name="probability"/>, at most <paramref name="budget"/> times.</summary>
    public Faults Randomly(Random random, double probability, int budget)
    {
        lock (_gate)
        {
            _random = random;
            _probability = probability;
            _randomBudget = budget;
        }
        return this;
    }

    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
            _randomBudget = 0;
        }
    }

    public async Task<T> RunAsync<T>(SinkOp op, string key, Func<T> effect, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await Task.Yield(); // let concurrent calls interleave, as network calls do
        cancellationToken.ThrowIfCancellationRequested();
        var fault = Next(op, key);
        switch (fault)
        {
            case FaultKind.Transient:
                throw new IOException($"injected transient failure in {op} {key}");
            case FaultKind.Permanent:
                throw new InvalidOperationException($"injected permanent failure in {op} {key}");
            case FaultKind.Crash:
                Crash(cancellationToken);
                break;
        }
        var result = effect();
        switch (fault)
        {
            case FaultKind.TransientAfterEffect:
                throw new IOException($"injected lost response after {op} {key}");
            case FaultKind.CrashAfterEffect:
                Crash(cancellationToken);
                break;
        }
        return result;
    }

    /// <summary>
    /// A call over several keys (a batch). Rules match the keys in order and random faults fire once per call, as in
    /// <see cref="RunAsync{T}"/>, except that a permanent fault fails one key only: <paramref name="effect"/> is told
    /// which (null when none) and answers for that key as the store would for a refused item.
    /// </summary>
    public async Task<T> RunBatchAsync<T>(SinkOp op, IReadOnlyList<string> keys, Func<int?, T> effect, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        var (fault, index) = Next(op, keys);
        switch (fault)
        {
            case FaultKind.Transient:
                throw new IOException($"injected transient failure in {op} {keys[index]}");
            case FaultKind.Crash:
                Crash(cancellationToken);
                break;
        }
        var result = effect(fault == FaultKind.Permanent ? index : null);
        switch (fault)
        {
            case FaultKind.TransientAfterEffect:
                throw new IOException($"injected lost response after {op} {keys[index]}");
            case FaultKind.CrashAfterEffect:
                Crash(cancellationToken);
                break;
        }
        return result;
    }

    private (FaultKind? Fault, int Index) Next(SinkOp op, IReadOnlyList<string> keys)
    {
        if (keys.Count == 0) return (null, 0);
        lock (_gate)
        {
            for (var k = 0; k < keys.Count; k++)
                if (NextRule(op, keys[k]) is { } kind) return (kind, k);
            var random = NextRandom();
            return (random, random is null ? 0 : _random!.Next(keys.Count));
        }
    }

    private void Crash(CancellationToken cancellationToken)
    {
        var invocation = Invocation ?? throw new InvalidOperationException("a crash needs an invocation to cancel");
        invocation.Cancel();
        cancellationToken.ThrowIfCancellationRequested();
        throw new OperationCanceledException("injected crash", invocation.Token);
    }

    private FaultKind? Next(SinkOp op, string key)
    {
        lock (_gate) return NextRule(op, key) ?? NextRandom();
    }

    private FaultKind? NextRule(SinkOp op, string key)
    {
        foreach (var rule in _rules)
        {
            if (rule.Op != op || rule.Remaining == 0 || !rule.When(key)) continue;
            rule.Remaining--;
            Injected++;
            return rule.Kind;
        }
        return null;
    }

    private FaultKind? NextRandom()
    {
        if (_random is null || _randomBudget <= 0 || _random.NextDouble() >= _probability) return null;
        _randomBudget--;
        Injected++;
        var kinds = Enum.GetValues<FaultKind>();
        var kind = kinds[_random.Next(kinds.Length)];
        // Crashes need an invocation to kill; without one, fall back to a lost response.
        return Invocation is null && kind is FaultKind.Crash or FaultKind.CrashAfterEffect ? FaultKind.TransientAfterEffect : kind;
    }

    private sealed class Rule(SinkOp op, FaultKind kind, Func<string, bool> when, int remaining)
    {
        public SinkOp Op { get; } = op;
        public FaultKind Kind { get; } = kind;
        public Func<string, bool> When { get; } = when;
        public int Remaining { get; set; } = remaining;
    }
}

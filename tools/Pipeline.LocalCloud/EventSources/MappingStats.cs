namespace Pipelines.LocalCloud.EventSources;

/// <summary>Counters one event source (or Firehose) keeps; read by the status view and the drain check.</summary>
public sealed class MappingStats
{
    private long _invocations;
    private long _functionErrors;
    private long _partialFailures;
    private long _recordsRead;
    private long _recordsCompleted;
    private long _recordsToOnFailure;
    private long _onFailureMessages;
    private long _readErrors;
    private int _busy;

    public string Name { get; }

    public MappingStats(string name) => Name = name;

    public long Invocations => Interlocked.Read(ref _invocations);
    public long FunctionErrors => Interlocked.Read(ref _functionErrors);
    public long PartialFailures => Interlocked.Read(ref _partialFailures);
    public long RecordsRead => Interlocked.Read(ref _recordsRead);

    /// <summary>Records the function handled successfully (checkpointed past).</summary>
    public long RecordsCompleted => Interlocked.Read(ref _recordsCompleted);

    /// <summary>Records given up on (reported to the on-failure destination, or to the DLQ for SQS).</summary>
    public long RecordsToOnFailure => Interlocked.Read(ref _recordsToOnFailure);
    public long OnFailureMessages => Interlocked.Read(ref _onFailureMessages);
    public long ReadErrors => Interlocked.Read(ref _readErrors);

    /// <summary>True while records are buffered or an invocation is in flight.</summary>
    public bool IsBusy => Volatile.Read(ref _busy) > 0;

    /// <summary>Changes whenever anything happens; the drain check waits for it to stand still.</summary>
    public long Progress => Invocations + RecordsRead + RecordsCompleted + RecordsToOnFailure + ReadErrors;

    internal void Invoked() => Interlocked.Increment(ref _invocations);
    internal void FunctionError() => Interlocked.Increment(ref _functionErrors);
    internal void PartialFailure() => Interlocked.Increment(ref _partialFailures);
    internal void Read(int n) => Interlocked.Add(ref _recordsRead, n);
    internal void Completed(int n) => Interlocked.Add(ref _recordsCompleted, n);
    internal void OnFailure(int records) { Interlocked.Add(ref _recordsToOnFailure, records); Interlocked.Increment(ref _onFailureMessages); }
    internal void ReadError() => Interlocked.Increment(ref _readErrors);
    internal void EnterBusy() => Interlocked.Increment(ref _busy);
    internal void ExitBusy() => Interlocked.Decrement(ref _busy);
}

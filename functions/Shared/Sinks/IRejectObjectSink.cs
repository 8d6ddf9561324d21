namespace Pipelines.Shared.Sinks;

/// <summary>
/// Where a batch's records that can never be stored go (the rejects bucket in production), as one object per
/// name: an interface so processors can be tested against an in-memory sink.
/// </summary>
public interface IRejectObjectSink
{
    /// <summary>Stores the records durably or throws; the caller retries transient failures.</summary>
    Task WriteAsync(string objectName, IReadOnlyList<RejectedRecord> records, CancellationToken cancellationToken);
}

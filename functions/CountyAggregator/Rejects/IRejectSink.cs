using Pipelines.Shared.Sinks;

namespace Pipelines.Counties.Rejects;

/// <summary>The named place for records that can never be stored (the rejects bucket).</summary>
internal interface IRejectSink
{
    /// <summary>Stores the records durably or throws; the caller retries transient failures.</summary>
    Task WriteAsync(string objectName, IReadOnlyList<RejectedRecord> records, CancellationToken cancellationToken);
}

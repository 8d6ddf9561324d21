using Pipelines.Events.Domain;

namespace Pipelines.Events.Archiving;

/// <summary>Where records that can never be archived go, with their reason and original data.</summary>
internal interface IRejectSink
{
    /// <param name="objectName">Deterministic for a given set of records, so a redelivered batch rewrites, not adds.</param>
    Task WriteAsync(string objectName, IReadOnlyList<RejectedEvent> rejected, CancellationToken cancellationToken);
}

/// <param name="DataBase64">The record's data exactly as Kinesis delivered it.</param>
internal sealed record RejectedEvent(
    RecordId Id,
    RejectReason Reason,
    string PartitionKey,
    DateTimeOffset ApproximateArrival,
    string DataBase64);

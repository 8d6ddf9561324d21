namespace Pipelines.Shared.Sinks;

/// <summary>
/// A record that can never be processed (bad JSON, bad base64, schema violation), kept with its original bytes and
/// enough provenance to find and replay it.
/// </summary>
/// <param name="Reason">Why it was rejected, e.g. "invalid JSON: ...".</param>
/// <param name="SourceId">Where it came from: a Kinesis sequence number, an SQS message id, an S3 key and line.</param>
public sealed record RejectedRecord(
    string Reason,
    string SourceId,
    ReadOnlyMemory<byte> Data,
    string? PartitionKey = null,
    string? ShardId = null,
    DateTimeOffset? ApproximateArrival = null);

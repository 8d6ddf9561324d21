namespace Pipelines.Counties.Domain;

/// <summary>
/// One stored item: how many rows of <see cref="County"/> a batch carried. <see cref="BatchId"/> is the sort key;
/// <see cref="Timestamp"/> is the Kinesis arrival time of the county's first row in the batch, so a redelivered batch
/// rewrites the item byte for byte.
/// </summary>
internal sealed record CountyBatchCount(
    string County,
    string BatchId,
    string Timestamp,
    int Count,
    string ShardId,
    string FirstSequenceNumber,
    string LastSequenceNumber);

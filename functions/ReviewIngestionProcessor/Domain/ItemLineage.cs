using Pipelines.Shared.Kinesis;

namespace Pipelines.Reviews.Domain;

/// <summary>What an item records of the Kinesis record it came from (the partition key is not stored).</summary>
internal readonly record struct ItemLineage(string SequenceNumber, string ShardId, DateTimeOffset ArrivalTime)
{
    public static ItemLineage Of(SourceRecord source) => new(source.SequenceNumber, source.ShardId, source.ArrivalTime);
}

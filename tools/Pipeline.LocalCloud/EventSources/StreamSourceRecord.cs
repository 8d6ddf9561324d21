using System.Text.Json.Nodes;

namespace Pipelines.LocalCloud.EventSources;

/// <summary>
/// One record read from a Kinesis shard or a DynamoDB stream shard, already shaped as the element of the event's
/// <c>Records</c> array AWS sends (see <see cref="KinesisEventJson"/>, <see cref="DynamoDbEventJson"/>).
/// </summary>
public sealed record StreamSourceRecord(
    string ShardId,
    string SequenceNumber,
    DateTimeOffset ApproximateArrival,
    JsonObject EventRecord,
    int SizeBytes);

/// <summary>A stream whose shards an event source mapping polls.</summary>
public interface IStreamShardSource
{
    string StreamArn { get; }

    /// <summary>"KinesisBatchInfo" or "DDBStreamBatchInfo": the on-failure record's batch section.</summary>
    string BatchInfoName { get; }

    Task<IReadOnlyList<string>> ListShardsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// A reader positioned just after <paramref name="afterSequenceNumber"/> (a checkpoint) when given, else per
    /// <paramref name="startingPosition"/> (TRIM_HORIZON or LATEST).
    /// </summary>
    Task<IShardCursor> OpenAsync(string shardId, string startingPosition, string? afterSequenceNumber, CancellationToken cancellationToken);
}

/// <summary>Reads a shard forward. It remembers the last record it returned, so it can resume after errors.</summary>
public interface IShardCursor
{
    /// <summary>Up to <paramref name="limit"/> records after the last one returned; an empty list means it is at the tip.</summary>
    Task<IReadOnlyList<StreamSourceRecord>> ReadAsync(int limit, CancellationToken cancellationToken);
}

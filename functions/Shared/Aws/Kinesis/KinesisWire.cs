namespace Pipelines.Shared.Aws;

// Request and response bodies as the Kinesis JSON API spells them; internal because callers use KinesisClient's methods.
internal sealed class PutRecordsRequest
{
    public string StreamName { get; set; } = "";

    public List<PutRecordsRequestEntry> Records { get; set; } = [];
}

internal sealed class PutRecordsRequestEntry
{
    public ReadOnlyMemory<byte> Data { get; set; }

    public string PartitionKey { get; set; } = "";

    public string? ExplicitHashKey { get; set; }
}

internal sealed class PutRecordRequest
{
    public string StreamName { get; set; } = "";

    public ReadOnlyMemory<byte> Data { get; set; }

    public string PartitionKey { get; set; } = "";

    public string? ExplicitHashKey { get; set; }

    public string? SequenceNumberForOrdering { get; set; }
}

internal sealed class CreateStreamRequest
{
    public string StreamName { get; set; } = "";

    public int? ShardCount { get; set; }

    public StreamModeDetails? StreamModeDetails { get; set; }
}

internal sealed class StreamNameRequest
{
    public string StreamName { get; set; } = "";
}

internal sealed class DeleteStreamRequest
{
    public string StreamName { get; set; } = "";

    public bool? EnforceConsumerDeletion { get; set; }
}

internal sealed class DescribeStreamSummaryResponse
{
    public StreamDescriptionSummary StreamDescriptionSummary { get; set; } = new();
}

internal sealed class ListShardsRequest
{
    public string? StreamName { get; set; }

    public string? NextToken { get; set; }

    public int? MaxResults { get; set; }
}

internal sealed class ListShardsResponse
{
    public List<Shard> Shards { get; set; } = [];

    public string? NextToken { get; set; }
}

internal sealed class GetShardIteratorRequest
{
    public string StreamName { get; set; } = "";

    public string ShardId { get; set; } = "";

    public string ShardIteratorType { get; set; } = "";

    public string? StartingSequenceNumber { get; set; }

    /// <summary>Epoch seconds, for AT_TIMESTAMP.</summary>
    public double? Timestamp { get; set; }
}

internal sealed class GetShardIteratorResponse
{
    public string ShardIterator { get; set; } = "";
}

internal sealed class GetRecordsRequest
{
    public string ShardIterator { get; set; } = "";

    public int? Limit { get; set; }
}

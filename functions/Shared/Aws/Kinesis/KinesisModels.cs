using System.Text.Json.Serialization;

namespace Pipelines.Shared.Aws;

/// <summary>One record to put: the raw bytes (base64 on the wire) and the partition key that picks its shard.</summary>
public sealed record PutRecordsEntry(ReadOnlyMemory<byte> Data, string PartitionKey, string? ExplicitHashKey = null);

/// <summary>PutRecords' answer: one entry per request record, in request order; failed ones carry an error code.</summary>
public sealed class PutRecordsResult
{
    public int FailedRecordCount { get; set; }

    public IReadOnlyList<PutRecordsResultEntry> Records { get; set; } = [];

    public string? EncryptionType { get; set; }
}

public sealed class PutRecordsResultEntry
{
    public string? SequenceNumber { get; set; }

    public string? ShardId { get; set; }

    /// <summary><c>ProvisionedThroughputExceededException</c> or <c>InternalFailure</c> when this record was not stored.</summary>
    public string? ErrorCode { get; set; }

    public string? ErrorMessage { get; set; }

    [JsonIgnore]
    public bool IsSuccess => ErrorCode is null;
}

public sealed class PutRecordResult
{
    public string ShardId { get; set; } = "";

    public string SequenceNumber { get; set; } = "";

    public string? EncryptionType { get; set; }
}

public sealed class StreamDescriptionSummary
{
    public string StreamName { get; set; } = "";

    [JsonPropertyName("StreamARN")]
    public string StreamArn { get; set; } = "";

    /// <summary>CREATING, DELETING, ACTIVE or UPDATING.</summary>
    public string StreamStatus { get; set; } = "";

    public int OpenShardCount { get; set; }

    public int RetentionPeriodHours { get; set; }

    /// <summary>Epoch seconds.</summary>
    public double? StreamCreationTimestamp { get; set; }

    public StreamModeDetails? StreamModeDetails { get; set; }

    public string? EncryptionType { get; set; }

    public int? ConsumerCount { get; set; }
}

public sealed class StreamModeDetails
{
    /// <summary>PROVISIONED or ON_DEMAND.</summary>
    public string StreamMode { get; set; } = "";
}

public sealed class Shard
{
    public string ShardId { get; set; } = "";

    public string? ParentShardId { get; set; }

    public string? AdjacentParentShardId { get; set; }

    public HashKeyRange? HashKeyRange { get; set; }

    public SequenceNumberRange? SequenceNumberRange { get; set; }

    /// <summary>A shard is open while its sequence range has no end.</summary>
    [JsonIgnore]
    public bool IsOpen => SequenceNumberRange?.EndingSequenceNumber is null;
}

public sealed class HashKeyRange
{
    public string StartingHashKey { get; set; } = "";

    public string EndingHashKey { get; set; } = "";
}

public sealed class SequenceNumberRange
{
    public string StartingSequenceNumber { get; set; } = "";

    public string? EndingSequenceNumber { get; set; }
}

/// <summary>The ShardIteratorType values GetShardIterator accepts.</summary>
public static class ShardIteratorType
{
    public const string TrimHorizon = "TRIM_HORIZON";
    public const string Latest = "LATEST";
    public const string AtSequenceNumber = "AT_SEQUENCE_NUMBER";
    public const string AfterSequenceNumber = "AFTER_SEQUENCE_NUMBER";
    public const string AtTimestamp = "AT_TIMESTAMP";
}

public sealed class GetRecordsResult
{
    public IReadOnlyList<KinesisStreamRecord> Records { get; set; } = [];

    /// <summary>Null once a closed shard is fully read.</summary>
    public string? NextShardIterator { get; set; }

    public long? MillisBehindLatest { get; set; }
}

/// <summary>A record as GetRecords returns it (data already base64-decoded).</summary>
public sealed class KinesisStreamRecord
{
    public string SequenceNumber { get; set; } = "";

    /// <summary>Epoch seconds with fraction.</summary>
    public double? ApproximateArrivalTimestamp { get; set; }

    public byte[] Data { get; set; } = [];

    public string PartitionKey { get; set; } = "";

    public string? EncryptionType { get; set; }
}

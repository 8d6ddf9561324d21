namespace Pipelines.LocalCloud.Topology;

/// <summary>topology/topology.json as the local cloud reads it: one description shared with Terraform.</summary>
public sealed record TopologyDocument(SharedSettings Shared, IReadOnlyList<PipelineSpec> Pipelines)
{
    public IEnumerable<FunctionSpec> Functions => Pipelines.SelectMany(p => p.Functions);

    public FunctionSpec Function(string name) =>
        Functions.FirstOrDefault(f => f.Name == name) ?? throw new KeyNotFoundException($"topology has no function '{name}'");

    public PipelineSpec Pipeline(string name) =>
        Pipelines.FirstOrDefault(p => p.Name == name) ?? throw new KeyNotFoundException($"topology has no pipeline '{name}'");
}

public sealed record SharedSettings(string RejectsBucket, string MetricsNamespace, string SsmPrefix);

public sealed record PipelineSpec(
    string Name,
    IReadOnlyDictionary<string, StreamSpec> Streams,
    IReadOnlyDictionary<string, TableSpec> Tables,
    IReadOnlyDictionary<string, BucketSpec> Buckets,
    IReadOnlyDictionary<string, QueueSpec> Queues,
    IReadOnlyList<NotificationSpec> Notifications,
    IReadOnlyDictionary<string, FirehoseSpec> Firehoses,
    IReadOnlyList<FunctionSpec> Functions);

public sealed record StreamSpec(string Key, string Name, string Mode, int Shards);

public sealed record TableSpec(
    string Key, string Name, string HashKey, string HashKeyType, string? RangeKey, string? RangeKeyType,
    string? StreamViewType, string? TtlAttribute);

public sealed record BucketSpec(string Key, string Name);

public sealed record QueueSpec(
    string Key, string Name, int VisibilityTimeoutS, int ReceiveWaitTimeS, int MessageRetentionS, int MaxReceiveCount, string? DlqName);

/// <summary>An S3 -> SQS notification; bucket and queue are keys within the pipeline.</summary>
public sealed record NotificationSpec(string Bucket, string Queue, IReadOnlyList<string> Events, string FilterPrefix, string FilterSuffix);

public sealed record FirehoseSpec(
    string Key, string Name, string SourceStream, string Bucket, string TransformFunction, string Prefix, string ErrorPrefix,
    int BufferingSizeMb, int BufferingIntervalS, int ProcessorBufferSizeMb, int ProcessorBufferIntervalS);

public sealed record FunctionSpec(
    string Name,
    string Pipeline,
    string Project,
    int MemoryMb,
    int TimeoutS,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyDictionary<string, string> Tunables,
    SourceSpec Source);

/// <summary>What feeds a function: type kinesis|dynamodb|sqs|firehose, with the event source mapping settings.</summary>
public sealed record SourceSpec(
    string Type,
    string? Stream,
    string? Table,
    string? Queue,
    string? Firehose,
    string StartingPosition,
    int BatchSize,
    int BatchingWindowS,
    int ParallelizationFactor,
    bool BisectOnError,
    int MaximumRetryAttempts,
    int MaximumRecordAgeS,
    string? OnFailureQueue,
    int MaximumConcurrency);

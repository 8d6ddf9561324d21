using Pipelines.LocalCloud.Topology;

namespace Pipelines.LocalCloud.Firehose;

/// <summary>A delivery stream's configuration: Kinesis source, Lambda transform, S3 destination with dynamic partitioning.</summary>
public sealed record FirehoseSettings
{
    public required string Name { get; init; }
    public required string SourceStream { get; init; }
    public required string Bucket { get; init; }
    public required string TransformFunction { get; init; }
    public required string Prefix { get; init; }
    public required string ErrorPrefix { get; init; }
    public long BufferingSizeBytes { get; init; } = 64L * 1024 * 1024;
    public TimeSpan BufferingInterval { get; init; } = TimeSpan.FromSeconds(60);
    public long ProcessorBufferSizeBytes { get; init; } = 1024 * 1024;
    public TimeSpan ProcessorBufferInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Firehose retries a failed transform invocation this many times before the records go to the error prefix.</summary>
    public int ProcessorRetries { get; init; } = 3;

    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    public static FirehoseSettings FromTopology(TopologyDocument topology, string pipeline, FirehoseSpec spec, TimeSpan? maxInterval = null)
    {
        var p = topology.Pipeline(pipeline);
        TimeSpan Cap(int seconds) => maxInterval is { } cap && TimeSpan.FromSeconds(seconds) > cap ? cap : TimeSpan.FromSeconds(seconds);
        return new FirehoseSettings
        {
            Name = spec.Name,
            SourceStream = p.Streams[spec.SourceStream].Name,
            Bucket = p.Buckets[spec.Bucket].Name,
            TransformFunction = spec.TransformFunction,
            Prefix = spec.Prefix,
            ErrorPrefix = spec.ErrorPrefix,
            BufferingSizeBytes = spec.BufferingSizeMb * 1024L * 1024,
            BufferingInterval = Cap(spec.BufferingIntervalS),
            ProcessorBufferSizeBytes = spec.ProcessorBufferSizeMb * 1024L * 1024,
            ProcessorBufferInterval = Cap(spec.ProcessorBufferIntervalS),
        };
    }
}

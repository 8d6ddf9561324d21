namespace Pipelines.Shared.Aws;

/// <summary>The Kinesis Data Streams operations this project uses, over the signed JSON protocol.</summary>
public sealed class KinesisClient
{
    private readonly AwsJsonClient client;

    public KinesisClient(AwsClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        client = new AwsJsonClient(options, "Kinesis_20131202", "1.1");
    }


    /// <summary>A client configured from the standard AWS environment variables.</summary>
    public static KinesisClient FromEnvironment() => new(AwsClientOptions.FromEnvironment(AwsService.Kinesis.EnvironmentId));

    public AwsClientOptions Options => client.Options;

    /// <summary>
    /// Puts up to 500 records in one call. The call succeeds even when some records were throttled: check
    /// <see cref="PutRecordsResult.FailedRecordCount"/> and resend the failed entries.
    /// </summary>
    public Task<PutRecordsResult> PutRecordsAsync(
        string streamName, IReadOnlyList<PutRecordsEntry> records, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(streamName);
        ArgumentNullException.ThrowIfNull(records);
        var request = new PutRecordsRequest
        {
            StreamName = streamName,
            Records = records.Select(r => new PutRecordsRequestEntry
            {
                Data = r.Data,
                PartitionKey = r.PartitionKey,
                ExplicitHashKey = r.ExplicitHashKey,
            }).ToList(),
        };
        return client.SendAsync(
            "PutRecords", request, AwsJsonContext.Default.PutRecordsRequest, AwsJsonContext.Default.PutRecordsResult, cancellationToken);
    }

    public Task<PutRecordResult> PutRecordAsync(
        string streamName,
        ReadOnlyMemory<byte> data,
        string partitionKey,
        string? sequenceNumberForOrdering = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(streamName);
        ArgumentException.ThrowIfNullOrEmpty(partitionKey);
        var request = new PutRecordRequest
        {
            StreamName = streamName,
            Data = data,
            PartitionKey = partitionKey,
            SequenceNumberForOrdering = sequenceNumberForOrdering,
        };
        return client.SendAsync(
            "PutRecord", request, AwsJsonContext.Default.PutRecordRequest, AwsJsonContext.Default.PutRecordResult, cancellationToken);
    }

    /// <summary>Creates a provisioned stream with <paramref name="shardCount"/> shards, or an on-demand one when it is null.</summary>
    public async Task CreateStreamAsync(string streamName, int? shardCount, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(streamName);
        var request = new CreateStreamRequest
        {
            StreamName = streamName,
            ShardCount = shardCount,
            StreamModeDetails = shardCount is null ? new StreamModeDetails { StreamMode = "ON_DEMAND" } : null,
        };
        await client.SendAsync(
                "CreateStream", request, AwsJsonContext.Default.CreateStreamRequest, AwsJsonContext.Default.EmptyResponse, cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task<StreamDescriptionSummary> DescribeStreamSummaryAsync(string streamName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(streamName);
        var response = await client.SendAsync(
                "DescribeStreamSummary",
                new StreamNameRequest { StreamName = streamName },
                AwsJsonContext.Default.StreamNameRequest,
                AwsJsonContext.Default.DescribeStreamSummaryResponse,
                cancellationToken)
            .ConfigureAwait(false);
        return response.StreamDescriptionSummary;
    }

    /// <summary>Polls until the stream is ACTIVE (a new stream takes a moment), failing after <paramref name="timeout"/>.</summary>
    public async Task<StreamDescriptionSummary> WaitForActiveAsync(
        string streamName, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var summary = await DescribeStreamSummaryAsync(streamName, cancellationToken).ConfigureAwait(false);
            if (summary.StreamStatus == "ACTIVE")
            {
                return summary;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                throw new TimeoutException($"Stream '{streamName}' is still {summary.StreamStatus} after {timeout.TotalSeconds:0.#} s.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Every shard of the stream, following NextToken pages.</summary>
    public async Task<IReadOnlyList<Shard>> ListShardsAsync(string streamName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(streamName);
        var shards = new List<Shard>();
        string? nextToken = null;
        do
        {
            // The API rejects StreamName together with NextToken, so later pages carry only the token.
            var request = nextToken is null
                ? new ListShardsRequest { StreamName = streamName }
                : new ListShardsRequest { NextToken = nextToken };
            var page = await client.SendAsync(
                    "ListShards", request, AwsJsonContext.Default.ListShardsRequest, AwsJsonContext.Default.ListShardsResponse, cancellationToken)
                .ConfigureAwait(false);
            shards.AddRange(page.Shards);
            nextToken = page.NextToken;
        }
        while (nextToken is not null);

        return shards;
    }

    /// <param name="shardIteratorType">One of <see cref="ShardIteratorType"/>.</param>
    /// <param name="startingSequenceNumber">For AT_/AFTER_SEQUENCE_NUMBER.</param>
    /// <param name="timestamp">For AT_TIMESTAMP.</param>
    public async Task<string> GetShardIteratorAsync(
        string streamName,
        string shardId,
        string shardIteratorType,
        string? startingSequenceNumber = null,
        DateTimeOffset? timestamp = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(streamName);
        ArgumentException.ThrowIfNullOrWhiteSpace(shardId);
        ArgumentException.ThrowIfNullOrWhiteSpace(shardIteratorType);
        var request = new GetShardIteratorRequest
        {
            StreamName = streamName,
            ShardId = shardId,
            ShardIteratorType = shardIteratorType,
            StartingSequenceNumber = startingSequenceNumber,
            Timestamp = timestamp is { } t ? t.ToUnixTimeMilliseconds() / 1000.0 : null,
        };
        var response = await client.SendAsync(
                "GetShardIterator",
                request,
                AwsJsonContext.Default.GetShardIteratorRequest,
                AwsJsonContext.Default.GetShardIteratorResponse,
                cancellationToken)
            .ConfigureAwait(false);
        return response.ShardIterator;
    }

    public Task<GetRecordsResult> GetRecordsAsync(string shardIterator, int? limit = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(shardIterator);
        return client.SendAsync(
            "GetRecords",
            new GetRecordsRequest { ShardIterator = shardIterator, Limit = limit },
            AwsJsonContext.Default.GetRecordsRequest,
            AwsJsonContext.Default.GetRecordsResult,
            cancellationToken);
    }

    public async Task DeleteStreamAsync(string streamName, bool enforceConsumerDeletion = false, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(streamName);
        var request = new DeleteStreamRequest { StreamName = streamName, EnforceConsumerDeletion = enforceConsumerDeletion ? true : null };
        await client.SendAsync(
                "DeleteStream", request, AwsJsonContext.Default.DeleteStreamRequest, AwsJsonContext.Default.EmptyResponse, cancellationToken)
            .ConfigureAwait(false);
    }
}

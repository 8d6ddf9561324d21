using System.Text;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.S3;
using Amazon.S3.Model;
using Pipelines.LocalCloud.Emulators;
using Pipelines.LocalCloud.EventSources;
using Pipelines.Shared.Aws;

namespace Pipelines.Tests.EventArchiver.Support;

/// <summary>kinesalite + dynalite + s3rver with the clients and resources the event archiver needs.</summary>
internal sealed class LocalArchiveCloud : IAsyncDisposable
{
    private LocalArchiveCloud(LocalEmulators emulators)
    {
        Emulators = emulators;
        var credentials = new AwsCredentials(LocalCredentials.AccessKeyId, LocalCredentials.SecretAccessKey);
        S3 = AwsSdkClients.CreateS3(emulators.S3, LocalCredentials.Region, credentials);
        DynamoDb = AwsSdkClients.CreateDynamoDb(emulators.DynamoDb, LocalCredentials.Region, credentials);
        Kinesis = new KinesisClient(AwsClientOptions.Create(AwsService.Kinesis, emulators.Kinesis, LocalCredentials.Region, credentials));
    }

    public LocalEmulators Emulators { get; }

    public IAmazonS3 S3 { get; }

    public IAmazonDynamoDB DynamoDb { get; }

    public KinesisClient Kinesis { get; }

    public static async Task<LocalArchiveCloud> StartAsync(CancellationToken cancellationToken) =>
        new(await LocalEmulators.StartAsync(
            new EmulatorOptions { Services = EmulatorService.Kinesis | EmulatorService.DynamoDb | EmulatorService.S3 }, cancellationToken));

    /// <summary>The dedup table as topology.json describes it (TTL is not emulated by dynalite).</summary>
    public async Task CreateDedupTableAsync(string name, CancellationToken cancellationToken) =>
        await DynamoDb.CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            AttributeDefinitions = [new AttributeDefinition("event_uuid", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("event_uuid", KeyType.HASH)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
        }, cancellationToken);

    public Task CreateBucketAsync(string name, CancellationToken cancellationToken) =>
        S3.PutBucketAsync(new PutBucketRequest { BucketName = name }, cancellationToken);

    public async Task<Dictionary<string, string>> ReadBucketAsync(string bucket, string prefix, CancellationToken cancellationToken)
    {
        var objects = new Dictionary<string, string>(StringComparer.Ordinal);
        string? token = null;
        do
        {
            var page = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, ContinuationToken = token }, cancellationToken);
            foreach (var o in page.S3Objects ?? [])
            {
                using var get = await S3.GetObjectAsync(bucket, o.Key, cancellationToken);
                using var reader = new StreamReader(get.ResponseStream, Encoding.UTF8);
                objects[o.Key] = await reader.ReadToEndAsync(cancellationToken);
            }
            token = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (token is not null);
        return objects;
    }

    /// <summary>Every record of every shard, read back with GetRecords from TRIM_HORIZON.</summary>
    public async Task<Dictionary<string, List<KinesisStreamRecord>>> ReadStreamAsync(string stream, CancellationToken cancellationToken)
    {
        var byShard = new Dictionary<string, List<KinesisStreamRecord>>(StringComparer.Ordinal);
        foreach (var shard in await Kinesis.ListShardsAsync(stream, cancellationToken))
        {
            var records = byShard[shard.ShardId] = [];
            var iterator = await Kinesis.GetShardIteratorAsync(stream, shard.ShardId, ShardIteratorType.TrimHorizon, cancellationToken: cancellationToken);
            while (iterator is not null)
            {
                var page = await Kinesis.GetRecordsAsync(iterator, 1000, cancellationToken);
                records.AddRange(page.Records);
                if (page.Records.Count == 0) break;
                iterator = page.NextShardIterator;
            }
        }
        return byShard;
    }

    /// <summary>A Kinesis event exactly as Lambda would deliver these records (built by the local cloud's own mapping code).</summary>
    public static byte[] KinesisEventPayload(string stream, string shardId, IEnumerable<KinesisStreamRecord> records)
    {
        var array = new JsonArray();
        foreach (var r in records)
        {
            array.Add(KinesisEventJson.Record(
                KinesisEventJson.StreamArn(stream), shardId, r.SequenceNumber, r.PartitionKey, r.Data,
                DateTimeOffset.FromUnixTimeMilliseconds((long)((r.ApproximateArrivalTimestamp ?? 0) * 1000)), "event-archiver"));
        }
        return Encoding.UTF8.GetBytes(new JsonObject { ["Records"] = array }.ToJsonString());
    }

    public async ValueTask DisposeAsync()
    {
        S3.Dispose();
        DynamoDb.Dispose();
        await Emulators.DisposeAsync();
    }
}

using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.S3;
using Amazon.S3.Model;
using Pipelines.LocalCloud.Emulators;
using Pipelines.Shared.Aws;
using KinesisEventRecord = Pipelines.Shared.Events.KinesisEventRecord;
using KinesisRecord = Pipelines.Shared.Events.KinesisRecord;

namespace Pipelines.Tests.ReviewIngestionProcessor;

/// <summary>dynalite, s3rver and kinesalite on loopback ports, with SDK clients configured the way the function's are.</summary>
internal sealed class EmulatorFixture : IAsyncDisposable
{
    private EmulatorFixture(LocalEmulators cloud)
    {
        Cloud = cloud;
        var credentials = new AwsCredentials(LocalCredentials.AccessKeyId, LocalCredentials.SecretAccessKey);
        DynamoDb = AwsSdkClients.CreateDynamoDb(cloud.DynamoDb, LocalCredentials.Region, credentials);
        S3 = AwsSdkClients.CreateS3(cloud.S3, LocalCredentials.Region, credentials);
        Kinesis = new KinesisClient(AwsClientOptions.Create(AwsService.Kinesis, cloud.Kinesis, LocalCredentials.Region, credentials));
    }

    public LocalEmulators Cloud { get; }

    public IAmazonDynamoDB DynamoDb { get; }

    public IAmazonS3 S3 { get; }

    public KinesisClient Kinesis { get; }

    public static async Task<EmulatorFixture> StartAsync(CancellationToken cancellationToken) =>
        new(await LocalEmulators.StartAsync(
            new EmulatorOptions { Services = EmulatorService.DynamoDb | EmulatorService.S3 | EmulatorService.Kinesis }, cancellationToken));

    public async Task CreateReviewsTableAsync(string name, CancellationToken cancellationToken)
    {
        await DynamoDb.CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            AttributeDefinitions = [new AttributeDefinition("review_id", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("review_id", KeyType.HASH)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
        }, cancellationToken);
        for (var i = 0; i < 100; i++)
        {
            var table = await DynamoDb.DescribeTableAsync(name, cancellationToken);
            if (table.Table.TableStatus == TableStatus.ACTIVE) return;
            await Task.Delay(50, cancellationToken);
        }
    }

    public async Task CreateStreamAsync(string name, int shards, CancellationToken cancellationToken)
    {
        await Kinesis.CreateStreamAsync(name, shards, cancellationToken);
        await Kinesis.WaitForActiveAsync(name, TimeSpan.FromSeconds(30), cancellationToken);
    }

    /// <summary>Everything on the stream, per shard in sequence order, shaped as the records of a Lambda Kinesis event.</summary>
    public async Task<List<List<KinesisEventRecord>>> ReadStreamAsync(string stream, CancellationToken cancellationToken)
    {
        var shards = new List<List<KinesisEventRecord>>();
        foreach (var shard in await Kinesis.ListShardsAsync(stream, cancellationToken))
        {
            var records = new List<KinesisEventRecord>();
            shards.Add(records);
            var iterator = await Kinesis.GetShardIteratorAsync(stream, shard.ShardId, "TRIM_HORIZON", cancellationToken: cancellationToken);
            while (iterator is not null)
            {
                var page = await Kinesis.GetRecordsAsync(iterator, 1000, cancellationToken);
                records.AddRange(page.Records.Select(r => new KinesisEventRecord
                {
                    Kinesis = new KinesisRecord
                    {
                        KinesisSchemaVersion = "1.0",
                        PartitionKey = r.PartitionKey,
                        SequenceNumber = r.SequenceNumber,
                        Data = Convert.ToBase64String(r.Data),
                        ApproximateArrivalTimestamp = r.ApproximateArrivalTimestamp ?? 0,
                    },
                    EventSource = "aws:kinesis",
                    EventVersion = "1.0",
                    EventId = $"{shard.ShardId}:{r.SequenceNumber}",
                    EventName = "aws:kinesis:record",
                    AwsRegion = LocalCredentials.Region,
                    EventSourceArn = $"arn:aws:kinesis:{LocalCredentials.Region}:{LocalCredentials.AccountId}:stream/{stream}",
                }));
                if (page.Records.Count == 0 || page.MillisBehindLatest == 0) break;
                iterator = page.NextShardIterator;
            }
        }
        return shards;
    }

    public async Task<List<Dictionary<string, AttributeValue>>> ScanAsync(string table, CancellationToken cancellationToken)
    {
        var items = new List<Dictionary<string, AttributeValue>>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var page = await DynamoDb.ScanAsync(new ScanRequest { TableName = table, ExclusiveStartKey = start }, cancellationToken);
            items.AddRange(page.Items ?? []);
            start = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);
        return items;
    }

    public async Task<Dictionary<string, string>> ReadObjectsAsync(string bucket, string prefix, CancellationToken cancellationToken)
    {
        var objects = new Dictionary<string, string>(StringComparer.Ordinal);
        var listing = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix }, cancellationToken);
        foreach (var entry in listing.S3Objects ?? [])
        {
            using var got = await S3.GetObjectAsync(bucket, entry.Key, cancellationToken);
            using var reader = new StreamReader(got.ResponseStream);
            objects[entry.Key] = await reader.ReadToEndAsync(cancellationToken);
        }
        return objects;
    }

    public async ValueTask DisposeAsync()
    {
        DynamoDb.Dispose();
        S3.Dispose();
        await Cloud.DisposeAsync();
    }
}

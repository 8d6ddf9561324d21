using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.S3;
using Amazon.S3.Model;
using Pipelines.LocalCloud.Emulators;
using Pipelines.Shared.Aws;
using Pipelines.Shared.Events;

namespace Pipelines.Tests.CountyAggregator;

/// <summary>kinesalite, dynalite and s3rver on loopback ports, with clients configured the way the function's and CLI's are.</summary>
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

    /// <summary>The county-counts table as topology.json describes it: hash County, range BatchId.</summary>
    public async Task CreateCountsTableAsync(string name, CancellationToken cancellationToken)
    {
        await DynamoDb.CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            AttributeDefinitions = [new AttributeDefinition("County", ScalarAttributeType.S), new AttributeDefinition("BatchId", ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement("County", KeyType.HASH), new KeySchemaElement("BatchId", KeyType.RANGE)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
        }, cancellationToken);
        for (var i = 0; i < 100 && (await DynamoDb.DescribeTableAsync(name, cancellationToken)).Table.TableStatus != TableStatus.ACTIVE; i++)
            await Task.Delay(50, cancellationToken);
    }

    public async Task CreateStreamAsync(string name, int shards, CancellationToken cancellationToken)
    {
        await Kinesis.CreateStreamAsync(name, shards, cancellationToken);
        await Kinesis.WaitForActiveAsync(name, TimeSpan.FromSeconds(30), cancellationToken);
    }

    /// <summary>
    /// Everything on the stream, per shard in sequence order, as the records of a Lambda Kinesis event (what the
    /// event source mapping would hand the function).
    /// </summary>
    public async Task<Dictionary<string, List<KinesisEventRecord>>> ReadStreamAsync(string stream, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, List<KinesisEventRecord>>(StringComparer.Ordinal);
        foreach (var shard in await Kinesis.ListShardsAsync(stream, cancellationToken))
        {
            var records = result[shard.ShardId] = [];
            var iterator = await Kinesis.GetShardIteratorAsync(stream, shard.ShardId, "TRIM_HORIZON", cancellationToken: cancellationToken);
            while (iterator is not null)
            {
                var page = await Kinesis.GetRecordsAsync(iterator, 1000, cancellationToken);
                foreach (var r in page.Records)
                {
                    records.Add(new KinesisEventRecord
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
                        EventSourceArn = string.Create(CultureInfo.InvariantCulture, $"arn:aws:kinesis:{LocalCredentials.Region}:{LocalCredentials.AccountId}:stream/{stream}"),
                    });
                }
                if (page.Records.Count == 0 || page.MillisBehindLatest == 0) break;
                iterator = page.NextShardIterator;
            }
        }
        return result;
    }

    public async Task<List<string>> ReadLinesAsync(string bucket, string prefix, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        var listing = await S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix }, cancellationToken);
        foreach (var entry in listing.S3Objects ?? [])
        {
            using var got = await S3.GetObjectAsync(bucket, entry.Key, cancellationToken);
            using var reader = new StreamReader(got.ResponseStream);
            lines.AddRange((await reader.ReadToEndAsync(cancellationToken)).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        return lines;
    }

    public async ValueTask DisposeAsync()
    {
        DynamoDb.Dispose();
        S3.Dispose();
        await Cloud.DisposeAsync();
    }
}

using System.Globalization;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.S3;
using Amazon.S3.Model;
using Pipelines.LocalCloud.DynamoDbStreams;
using Pipelines.LocalCloud.Emulators;
using Pipelines.Shared.Aws;
using KinesisEventRecord = Pipelines.Shared.Events.KinesisEventRecord;
using KinesisRecord = Pipelines.Shared.Events.KinesisRecord;

namespace Pipelines.Tests.Support;

/// <summary>
/// kinesalite, dynalite and s3rver on loopback ports, with clients configured the way the functions' and the CLI's
/// are, plus the setup and read-back steps the emulator-backed tests share. DynamoDB is reached through the local
/// cloud's proxy in front of dynalite, as the functions reach it under <c>run-local</c> (it adds what dynalite lacks,
/// such as BatchExecuteStatement's PartiQL INSERTs).
/// </summary>
public sealed class EmulatorFixture : IAsyncDisposable
{
    private readonly DynamoDbChangeCaptureProxy _dynamoDbProxy;

    private EmulatorFixture(LocalEmulators emulators, DynamoDbChangeCaptureProxy dynamoDbProxy)
    {
        Emulators = emulators;
        _dynamoDbProxy = dynamoDbProxy;
        var credentials = new AwsCredentials(LocalCredentials.AccessKeyId, LocalCredentials.SecretAccessKey);
        DynamoDb = AwsSdkClients.CreateDynamoDb(DynamoDbEndpoint, LocalCredentials.Region, credentials);
        S3 = AwsSdkClients.CreateS3(emulators.S3, LocalCredentials.Region, credentials);
        Kinesis = new KinesisClient(AwsClientOptions.Create(AwsService.Kinesis, emulators.Kinesis, LocalCredentials.Region, credentials));
    }

    public LocalEmulators Emulators { get; }

    /// <summary>DynamoDB as the functions see it: the proxy in front of dynalite.</summary>
    public Uri DynamoDbEndpoint => _dynamoDbProxy.Endpoint;

    public IAmazonDynamoDB DynamoDb { get; }

    public IAmazonS3 S3 { get; }

    public KinesisClient Kinesis { get; }

    public static async Task<EmulatorFixture> StartAsync(CancellationToken cancellationToken)
    {
        var emulators = await LocalEmulators.StartAsync(
            new EmulatorOptions { Services = EmulatorService.Kinesis | EmulatorService.DynamoDb | EmulatorService.S3 }, cancellationToken);
        return new(emulators, await DynamoDbChangeCaptureProxy.StartAsync(() => emulators.DynamoDb, 0, cancellationToken));
    }

    /// <summary>The emulators' endpoint and credential variables (AWS_ENDPOINT_URL_DYNAMODB naming the proxy).</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables() =>
        new Dictionary<string, string>(Emulators.EnvironmentVariables(), StringComparer.Ordinal)
        {
            [EmulatorServiceNames.EndpointVariable(EmulatorService.DynamoDb)] = DynamoDbEndpoint.GetLeftPart(UriPartial.Authority),
        };

    /// <summary>Sets <see cref="EnvironmentVariables"/> on this process (for startup code that reads them).</summary>
    public void ApplyToCurrentProcess()
    {
        foreach (var (name, value) in EnvironmentVariables()) Environment.SetEnvironmentVariable(name, value);
    }

    /// <summary>An on-demand table with string keys, as topology.json describes the pipelines' tables; returns once it is ACTIVE.</summary>
    public async Task CreateTableAsync(string name, string hashKey, string? rangeKey, CancellationToken cancellationToken)
    {
        List<AttributeDefinition> attributes = [new(hashKey, ScalarAttributeType.S)];
        List<KeySchemaElement> keys = [new(hashKey, KeyType.HASH)];
        if (rangeKey is not null)
        {
            attributes.Add(new AttributeDefinition(rangeKey, ScalarAttributeType.S));
            keys.Add(new KeySchemaElement(rangeKey, KeyType.RANGE));
        }
        await DynamoDb.CreateTableAsync(new CreateTableRequest
        {
            TableName = name,
            AttributeDefinitions = attributes,
            KeySchema = keys,
            BillingMode = BillingMode.PAY_PER_REQUEST,
        }, cancellationToken);
        for (var i = 0; i < 100 && (await DynamoDb.DescribeTableAsync(name, cancellationToken)).Table.TableStatus != TableStatus.ACTIVE; i++)
            await Task.Delay(50, cancellationToken);
    }

    public Task CreateBucketAsync(string name, CancellationToken cancellationToken) =>
        S3.PutBucketAsync(new PutBucketRequest { BucketName = name }, cancellationToken);

    public async Task CreateStreamAsync(string name, int shards, CancellationToken cancellationToken)
    {
        await Kinesis.CreateStreamAsync(name, shards, cancellationToken);
        await Kinesis.WaitForActiveAsync(name, TimeSpan.FromSeconds(30), cancellationToken);
    }

    /// <summary>Every record of every shard (keyed by shard id, in sequence order), read with GetRecords from TRIM_HORIZON.</summary>
    public async Task<Dictionary<string, List<KinesisStreamRecord>>> ReadRecordsAsync(string stream, CancellationToken cancellationToken)
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

    /// <summary>
    /// Everything on the stream, per shard in sequence order, as the records of a Lambda Kinesis event (what the
    /// event source mapping would hand the function).
    /// </summary>
    public async Task<Dictionary<string, List<KinesisEventRecord>>> ReadStreamAsync(string stream, CancellationToken cancellationToken)
    {
        var streamArn = string.Create(CultureInfo.InvariantCulture, $"arn:aws:kinesis:{LocalCredentials.Region}:{LocalCredentials.AccountId}:stream/{stream}");
        return (await ReadRecordsAsync(stream, cancellationToken)).ToDictionary(
            shard => shard.Key,
            shard => shard.Value.Select(r => new KinesisEventRecord
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
                EventId = $"{shard.Key}:{r.SequenceNumber}",
                EventName = "aws:kinesis:record",
                AwsRegion = LocalCredentials.Region,
                EventSourceArn = streamArn,
            }).ToList(),
            StringComparer.Ordinal);
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

    /// <summary>Every object under <paramref name="prefix"/> as text, keyed (and ordered) by key.</summary>
    public async Task<Dictionary<string, string>> ReadObjectsAsync(string bucket, string prefix, CancellationToken cancellationToken)
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

    /// <summary>The non-empty lines of every object under <paramref name="prefix"/>, in key order (JSON-lines objects).</summary>
    public async Task<List<string>> ReadLinesAsync(string bucket, string prefix, CancellationToken cancellationToken) =>
        (await ReadObjectsAsync(bucket, prefix, cancellationToken)).Values
            .SelectMany(text => text.Split('\n', StringSplitOptions.RemoveEmptyEntries)).ToList();

    public async ValueTask DisposeAsync()
    {
        DynamoDb.Dispose();
        S3.Dispose();
        await _dynamoDbProxy.DisposeAsync();
        await Emulators.DisposeAsync();
    }
}

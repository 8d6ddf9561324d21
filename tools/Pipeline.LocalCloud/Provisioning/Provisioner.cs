using System.Globalization;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.S3;
using Pipelines.LocalCloud.Topology;
using Pipelines.Shared.Aws;

namespace Pipelines.LocalCloud.Provisioning;

/// <summary>
/// Creates what Terraform would, from the same topology: streams, tables (with streams where declared), buckets
/// (and the shared rejects bucket), queues with their DLQ and redrive policy, and each stream mapping's on-failure queue.
/// Existing resources are left as they are, so provisioning a kept state again is harmless.
/// </summary>
public sealed class Provisioner(LocalClients clients, Action<string>? log = null)
{
    public sealed record Result(IReadOnlyList<string> Created, IReadOnlyList<string> Existing, IReadOnlySet<string> NewBuckets);

    /// <summary>Queue attribute overrides for tests (e.g. a short visibility timeout); null uses the topology's.</summary>
    public int? VisibilityTimeoutOverride { get; init; }

    public async Task<Result> ProvisionAsync(TopologyDocument topology, CancellationToken ct)
    {
        var created = new List<string>();
        var existing = new List<string>();
        var newBuckets = new HashSet<string>(StringComparer.Ordinal);

        void Note(bool made, string what)
        {
            (made ? created : existing).Add(what);
            log?.Invoke($"{(made ? "created" : "exists ")} {what}");
        }

        foreach (var pipeline in topology.Pipelines)
        {
            foreach (var stream in pipeline.Streams.Values)
                Note(await CreateStreamAsync(stream, ct), $"stream {stream.Name} ({stream.Shards} shards)");
            foreach (var table in pipeline.Tables.Values)
                Note(await CreateTableAsync(table, ct), $"table {table.Name}{(table.StreamViewType is null ? "" : $" (stream {table.StreamViewType})")}");
            foreach (var bucket in pipeline.Buckets.Values)
            {
                var made = await CreateBucketAsync(bucket.Name, ct);
                if (made) newBuckets.Add(bucket.Name);
                Note(made, $"bucket {bucket.Name}");
            }
            foreach (var queue in pipeline.Queues.Values)
            {
                string? dlqArn = null;
                if (queue.DlqName is { } dlq)
                {
                    var (made, url) = await CreateQueueAsync(dlq, new Dictionary<string, string>
                    {
                        ["MessageRetentionPeriod"] = queue.MessageRetentionS.ToString(CultureInfo.InvariantCulture),
                    }, ct);
                    Note(made, $"queue {dlq} (DLQ)");
                    dlqArn = (await clients.Sqs.GetQueueAttributesAsync(url, ["QueueArn"], ct))["QueueArn"];
                }
                var attributes = new Dictionary<string, string>
                {
                    ["VisibilityTimeout"] = (VisibilityTimeoutOverride ?? queue.VisibilityTimeoutS).ToString(CultureInfo.InvariantCulture),
                    ["ReceiveMessageWaitTimeSeconds"] = queue.ReceiveWaitTimeS.ToString(CultureInfo.InvariantCulture),
                    ["MessageRetentionPeriod"] = queue.MessageRetentionS.ToString(CultureInfo.InvariantCulture),
                };
                if (dlqArn is not null)
                {
                    attributes["RedrivePolicy"] = new JsonObject
                    {
                        ["deadLetterTargetArn"] = dlqArn,
                        ["maxReceiveCount"] = queue.MaxReceiveCount.ToString(CultureInfo.InvariantCulture),
                    }.ToJsonString();
                }
                var (queueMade, _) = await CreateQueueAsync(queue.Name, attributes, ct);
                Note(queueMade, $"queue {queue.Name}{(dlqArn is null ? "" : $" (redrive to {queue.DlqName} after {queue.MaxReceiveCount} receives)")}");
            }
            foreach (var function in pipeline.Functions)
            {
                if (function.Source.OnFailureQueue is { } failures)
                    Note((await CreateQueueAsync(failures, new Dictionary<string, string>(), ct)).Created, $"queue {failures} (on-failure destination of {function.Name})");
            }
        }
        var rejects = await CreateBucketAsync(topology.Shared.RejectsBucket, ct);
        if (rejects) newBuckets.Add(topology.Shared.RejectsBucket);
        Note(rejects, $"bucket {topology.Shared.RejectsBucket} (rejects)");
        return new Result(created, existing, newBuckets);
    }

    private async Task<bool> CreateStreamAsync(StreamSpec stream, CancellationToken ct)
    {
        try
        {
            // Kinesalite has no on-demand mode: an on-demand stream gets the topology's shard count.
            await clients.Kinesis.CreateStreamAsync(stream.Name, stream.Shards, ct);
            await clients.Kinesis.WaitForActiveAsync(stream.Name, TimeSpan.FromSeconds(30), ct);
            return true;
        }
        catch (AwsServiceException e) when (e.ErrorCode.Contains("ResourceInUse", StringComparison.Ordinal))
        {
            return false;
        }
    }

    private async Task<bool> CreateTableAsync(TableSpec table, CancellationToken ct)
    {
        var request = new CreateTableRequest
        {
            TableName = table.Name,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            AttributeDefinitions = [new AttributeDefinition(table.HashKey, table.HashKeyType)],
            KeySchema = [new KeySchemaElement(table.HashKey, KeyType.HASH)],
        };
        if (table.RangeKey is { } range)
        {
            request.AttributeDefinitions.Add(new AttributeDefinition(range, table.RangeKeyType ?? "S"));
            request.KeySchema.Add(new KeySchemaElement(range, KeyType.RANGE));
        }
        if (table.StreamViewType is { } view)
            request.StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = new StreamViewType(view) };
        bool created;
        try
        {
            await clients.DynamoDb.CreateTableAsync(request, ct);
            created = true;
        }
        catch (ResourceInUseException)
        {
            created = false;
        }
        // Like Terraform, wait until the table is ACTIVE: writes to a CREATING table fail with ResourceNotFound.
        for (var i = 0; i < 300 && (await clients.DynamoDb.DescribeTableAsync(table.Name, ct)).Table.TableStatus != TableStatus.ACTIVE; i++)
            await Task.Delay(20, ct);
        return created;
    }

    private async Task<bool> CreateBucketAsync(string name, CancellationToken ct)
    {
        try
        {
            await clients.S3.PutBucketAsync(name, ct);
            return true;
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
            return false;
        }
    }

    private async Task<(bool Created, string Url)> CreateQueueAsync(string name, Dictionary<string, string> attributes, CancellationToken ct)
    {
        try
        {
            return (false, await clients.Sqs.GetQueueUrlAsync(name, ct));
        }
        catch (AwsServiceException e) when (e.ErrorCode.Contains("NonExistentQueue", StringComparison.Ordinal) || e.ErrorCode.Contains("QueueDoesNotExist", StringComparison.Ordinal))
        {
            return (true, await clients.Sqs.CreateQueueAsync(name, attributes, ct));
        }
    }
}

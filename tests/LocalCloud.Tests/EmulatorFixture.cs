using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.S3.Model;
using Pipelines.LocalCloud.Emulators;
using Pipelines.LocalCloud.Provisioning;
using Pipelines.Shared.Aws;

namespace Pipelines.Tests.LocalCloud;

/// <summary>Emulators shared by the tests of one fixture, with clients and small helpers to read results.</summary>
internal sealed class EmulatorFixture : IAsyncDisposable
{
    public required LocalEmulators Emulators { get; init; }
    public required LocalClients Clients { get; init; }

    public static async Task<EmulatorFixture> StartAsync(EmulatorService services)
    {
        var emulators = await LocalEmulators.StartAsync(new EmulatorOptions { Services = services }, CancellationToken.None);
        return new EmulatorFixture { Emulators = emulators, Clients = new LocalClients(emulators.EnvironmentVariables()) };
    }

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8]}";

    public async Task<List<SqsReceivedMessage>> DrainQueueAsync(string queueUrl, TimeSpan quiet)
    {
        var all = new List<SqsReceivedMessage>();
        var lastNew = DateTime.UtcNow;
        while (DateTime.UtcNow - lastNew < quiet)
        {
            var got = await Clients.Sqs.ReceiveMessageAsync(queueUrl, new SqsReceiveOptions { MaxNumberOfMessages = 10, WaitTimeSeconds = 0 });
            foreach (var m in got) await Clients.Sqs.DeleteMessageAsync(queueUrl, m.ReceiptHandle);
            if (got.Count > 0) lastNew = DateTime.UtcNow;
            all.AddRange(got);
            if (got.Count == 0) await Task.Delay(100);
        }
        return all;
    }

    public async Task<string> QueueArnAsync(string queueUrl) =>
        (await Clients.Sqs.GetQueueAttributesAsync(queueUrl, ["QueueArn"]))["QueueArn"];

    public async Task<Dictionary<string, string>> ReadBucketAsync(string bucket, string prefix = "")
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var list = await Clients.S3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix });
        foreach (var o in list.S3Objects ?? [])
        {
            using var got = await Clients.S3.GetObjectAsync(bucket, o.Key);
            using var reader = new StreamReader(got.ResponseStream);
            result[o.Key] = await reader.ReadToEndAsync();
        }
        return result;
    }

    /// <summary>dynalite answers CreateTable while the table is CREATING; writes need it ACTIVE.</summary>
    public static async Task WaitForTableAsync(Amazon.DynamoDBv2.IAmazonDynamoDB db, string table)
    {
        for (var i = 0; i < 250; i++)
        {
            if ((await db.DescribeTableAsync(table)).Table.TableStatus == Amazon.DynamoDBv2.TableStatus.ACTIVE) return;
            await Task.Delay(20);
        }
        throw new TimeoutException($"table {table} did not become ACTIVE");
    }

    public static JsonObject Json(string text) => JsonNode.Parse(text)!.AsObject();

    public async ValueTask DisposeAsync()
    {
        Clients.Dispose();
        await Emulators.DisposeAsync();
    }
}

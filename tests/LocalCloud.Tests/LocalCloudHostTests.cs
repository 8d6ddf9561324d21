using System.Text;
using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.LocalCloud.Host;
using Pipelines.Shared.Aws;

namespace Pipelines.Tests.LocalCloud;

/// <summary>The host's wiring from the topology, with in-process functions (the real ones are covered by the main job).</summary>
[TestFixture]
[CancelAfter(120_000)]
public sealed class LocalCloudHostTests
{
    [Test]
    public async Task ProvisionsFromTheTopologyAndGivesEachFunctionTheEnvironmentTerraformWould(CancellationToken ct)
    {
        var fn = new ScriptedFunction((_, _) => ScriptedFunction.Ok());
        await using var host = await LocalCloudHost.StartAsync(new LocalCloudOptions { Invoker = fn, Functions = new HashSet<string>() }, ct);

        (await host.Clients.Kinesis.ListShardsAsync("amazon-review-ingestion-stream", ct)).Should().HaveCount(5);
        (await host.Clients.DynamoDb.DescribeTableAsync("OrdersRawTable", ct)).Table.LatestStreamArn.Should().StartWith("arn:aws:dynamodb:");
        (await host.Clients.S3.ListBucketsAsync(ct)).Buckets.Select(b => b.BucketName).Should().Contain(
            ["pipeline-rejects", "event-archive", "orders-analytics", "partner-catalog-source", "partner-catalog-consolidated"]);
        var ingest = await host.Clients.Sqs.GetQueueUrlAsync("catalog-ingest", ct);
        var attributes = await host.Clients.Sqs.GetQueueAttributesAsync(ingest, ["RedrivePolicy", "VisibilityTimeout"], ct);
        attributes["VisibilityTimeout"].Should().Be("540");
        var redrive = JsonNode.Parse(attributes["RedrivePolicy"])!;
        redrive["deadLetterTargetArn"]!.GetValue<string>().Should().EndWith(":catalog-ingest-dlq");
        redrive["maxReceiveCount"]!.ToString().Should().Be("10");
        await host.Clients.Sqs.GetQueueUrlAsync("orders-cdc-publisher-failures", ct);

        var test = await host.Clients.Sqs.ReceiveMessageAsync(ingest, new SqsReceiveOptions { WaitTimeSeconds = 0 }, ct);
        test.Should().ContainSingle().Which.Body.Should().Contain("\"s3:TestEvent\"", "S3 sends a test event when the notification is configured");

        var env = host.FunctionEnvironmentFor("review-ingestion-processor");
        env["REVIEWS_TABLE"].Should().Be("amazon-reviews-raw");
        env["REJECTED_BUCKET"].Should().Be("pipeline-rejects");
        env["REJECTED_PREFIX"].Should().Be("reviews/");
        env["SSM_PARAMETER_PREFIX"].Should().Be("/pipelines/local/review-ingestion-processor/");
        env["METRICS_NAMESPACE"].Should().Be("RealtimePipelines");
        env["LOG_LEVEL"].Should().Be("INFO");
        env["AWS_REGION"].Should().Be("us-east-1");
        env["AWS_ACCESS_KEY_ID"].Should().Be("S3RVER");
        env["AWS_ENDPOINT_URL_DYNAMODB"].Should().Be(host.DynamoDb.Endpoint.GetLeftPart(UriPartial.Authority), "DynamoDB goes through the streams proxy");
        env["TMPDIR"].Should().StartWith(host.StateDirectory);

        var tunables = await host.Clients.Ssm.GetParametersByPathAsync("/pipelines/local/catalog-consolidator/", cancellationToken: ct);
        tunables.ToDictionary(p => p.Name, p => p.Value).Should().Contain("/pipelines/local/catalog-consolidator/max_output_file_bytes", "500000");
    }

    [Test]
    public async Task AKeptStateResumesEachShardAfterItsLastCheckpoint(CancellationToken ct)
    {
        var state = Directory.CreateTempSubdirectory("cloud-kept-");
        try
        {
            var first = new ScriptedFunction((_, _) => ScriptedFunction.Ok());
            await RunAsync(first, keep: false, records: 6);
            var second = new ScriptedFunction((_, _) => ScriptedFunction.Ok());
            await RunAsync(second, keep: true, records: 4);

            Payloads(first).Should().HaveCount(6);
            Payloads(second).Should().BeEquivalentTo(["run2-0", "run2-1", "run2-2", "run2-3"], "records of the first run were checkpointed");
        }
        finally
        {
            state.Delete(recursive: true);
        }

        async Task RunAsync(ScriptedFunction fn, bool keep, int records)
        {
            await using var host = await LocalCloudHost.StartAsync(new LocalCloudOptions
            {
                StateDirectory = state.FullName, KeepState = keep, Invoker = fn,
                Functions = new HashSet<string>(["review-ingestion-processor"]),
            }, ct);
            var tag = keep ? "run2" : "run1";
            await host.Clients.Kinesis.PutRecordsAsync("amazon-review-ingestion-stream",
                Enumerable.Range(0, records).Select(i => new PutRecordsEntry(Encoding.UTF8.GetBytes($"{tag}-{i}"), $"k{i}")).ToList(), ct);
            (await host.WaitForDrainAsync(TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(60), null, ct)).Should().BeTrue();
        }

        static List<string> Payloads(ScriptedFunction fn) => fn.Events
            .SelectMany(e => e["Records"]!.AsArray())
            .Select(r => Encoding.UTF8.GetString(Convert.FromBase64String(r!["kinesis"]!["data"]!.GetValue<string>()))).ToList();
    }
}

using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Catalog.Priority;
using Pipelines.Tests.CatalogConsolidator.Support;

namespace Pipelines.Tests.CatalogConsolidator.Processing;

/// <summary>Partner priorities are read only once a message has objects to read.</summary>
public class LazyPriorityLoadTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 31, 9, 0, 0, TimeSpan.Zero);
    private const long Sent = 1706692527456;

    private static string Rec(string partner, string accommodation) =>
        $$"""{"partner_id":"{{partner}}","accommodation_id":"{{accommodation}}","content_type":"hotel"}""";

    [Test]
    public async Task An_empty_batch_makes_no_dynamodb_call()
    {
        using var dynamo = new CountingDynamoDb();
        using var h = new ProcessorHarness(source: new DynamoDbPartnerPrioritySource(dynamo, "partner-priority"));

        var failures = await h.RunAsync(new SqsEventBuilder().Build());

        failures.Should().BeEmpty();
        dynamo.Scans.Should().Be(0);
        h.Output.Objects.Should().BeEmpty();
    }

    [Test]
    public async Task Test_events_and_rejected_bodies_are_handled_even_while_priorities_cannot_be_read()
    {
        using var h = new ProcessorHarness();
        h.Priorities.Failure = new HttpRequestException("dynamodb unreachable");
        var evt = new SqsEventBuilder()
            .TestEvent("t-1", Sent)
            .Body("m-bad", Sent, "not an s3 notification")
            .Build();

        var failures = await h.RunAsync(evt);

        failures.Should().BeEmpty();
        h.Priorities.Loads.Should().Be(0);
        h.Output.RejectedKeys.Should().ContainSingle().Which.Should().Contain("m-bad");
    }

    [Test]
    public async Task The_first_message_with_objects_reads_the_priorities_once_through_dynamodb()
    {
        using var dynamo = new CountingDynamoDb();
        using var h = new ProcessorHarness(source: new DynamoDbPartnerPrioritySource(dynamo, "partner-priority"));
        h.Source.Put("2024/01/31/a.jsonl", Rec("a", "H1"));
        h.Source.Put("2024/01/31/b.jsonl", Rec("b", "H1"));
        var evt = new SqsEventBuilder()
            .TestEvent("t-1", Sent)
            .Message("m-a", Sent + 1, new S3Ref("2024/01/31/a.jsonl", T0.AddSeconds(1)))
            .Message("m-b", Sent + 2, new S3Ref("2024/01/31/b.jsonl", T0))
            .Build();

        var failures = await h.RunAsync(evt);

        failures.Should().BeEmpty();
        dynamo.Scans.Should().Be(1);
        h.Output.AllOutputRecords().Should().ContainSingle().Which.GetProperty("partner_id").GetString()
            .Should().Be("b", "the table ranks b first (without it, a's later object would win)");
    }

    [Test]
    public async Task When_priorities_cannot_be_read_a_batch_with_objects_is_retried_whole_as_before()
    {
        using var h = new ProcessorHarness();
        h.Priorities.Failure = new HttpRequestException("dynamodb unreachable");
        h.Source.Put("2024/01/31/a.jsonl", Rec("a", "H1"));
        var evt = new SqsEventBuilder()
            .Body("m-bad", Sent, "not an s3 notification")
            .Message("m-a", Sent + 1, new S3Ref("2024/01/31/a.jsonl", T0))
            .Build();

        var failures = await h.RunAsync(evt);

        failures.Should().Equal("m-bad", "m-a");
        h.Output.Objects.Should().BeEmpty("nothing is uploaded when the batch is retried");
        Directory.Exists(h.TempDirectory).Should().BeFalse();
    }

    /// <summary>A DynamoDB client whose Scan answers from memory (one priority row) and counts the calls.</summary>
    private sealed class CountingDynamoDb() : AmazonDynamoDBClient(
        new BasicAWSCredentials("test", "test"), new AmazonDynamoDBConfig { ServiceURL = "http://127.0.0.1:9", MaxErrorRetry = 0 })
    {
        public int Scans { get; private set; }

        public override Task<ScanResponse> ScanAsync(ScanRequest request, CancellationToken cancellationToken = default)
        {
            Scans++;
            return Task.FromResult(new ScanResponse
            {
                Items =
                [
                    new Dictionary<string, AttributeValue>
                    {
                        [DynamoDbPartnerPrioritySource.ContentTypeAttribute] = new() { S = "hotel" },
                        [DynamoDbPartnerPrioritySource.PartnersAttribute] = new() { L = [new() { S = "b" }, new() { S = "a" }] },
                    },
                ],
            });
        }
    }
}

using System.Text;
using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Shared.Aws;

namespace Pipelines.Tests.Shared.Aws;

[TestFixture]
public sealed class KinesisClientTests
{
    // The example response in the Kinesis API reference for PutRecords with one throttled record.
    private const string PartialPutRecordsResponse = """
        {
            "FailedRecordCount": 1,
            "Records": [
                {
                    "SequenceNumber": "21269319989900637946712965403778482371",
                    "ShardId": "shardId-000000000001"
                },
                {
                    "ErrorCode":"ProvisionedThroughputExceededException",
                    "ErrorMessage": "Rate exceeded for shard shardId-000000000001 in stream exampleStreamName under account 111111111111."
                },
                {
                    "SequenceNumber": "21269319989999637946712965403778482985",
                    "ShardId": "shardId-000000000002"
                }
            ]
        }
        """;

    // The example response in the Kinesis API reference for GetRecords.
    private const string GetRecordsResponse = """
        {
          "MillisBehindLatest": 2100,
          "NextShardIterator": "AAAAAAAAAAHsW8zCWf9164uy8Epue6WS3w6wmj4a4USt+CNvMd6uXQ+HL5vAJMznqqC0DLKsIjuoiTi1BpT6nW0LN2M2D56zM5H8anHm30Gbri9ua+qaGgj+3XTyvbhpERfrezgLHbPB/rIcVpykJbaSj5tmcXYRmFnqZBEyHwtZYFmh6hvWVFkIwLuMZLMrpWhG5r5hzkE=",
          "Records": [
            {
              "Data": "XzxkYXRhPl8w",
              "PartitionKey": "partitionKey",
              "ApproximateArrivalTimestamp": 1.441215410867E9,
              "SequenceNumber": "21269319989652663814458848515492872193"
            }
          ]
        }
        """;

    [Test]
    public async Task PutRecords_sends_base64_data_and_returns_per_entry_results_in_order()
    {
        await using var server = new LoopbackAwsServer();
        server.Enqueue(ScriptedResponse.Json(PartialPutRecordsResponse));
        var kinesis = new KinesisClient(TestAws.Options(AwsService.Kinesis, server.Endpoint));
        PutRecordsEntry[] entries =
        [
            new(Encoding.UTF8.GetBytes("""{"id":1}"""), "a"),
            new(new byte[] { 0, 255, 10 }, "b"),
            new(Encoding.UTF8.GetBytes("third"), "c"),
        ];

        var result = await kinesis.PutRecordsAsync("exampleStreamName", entries);

        result.FailedRecordCount.Should().Be(1);
        result.Records.Should().HaveCount(3);
        result.Records[0].IsSuccess.Should().BeTrue();
        result.Records[0].ShardId.Should().Be("shardId-000000000001");
        result.Records[0].SequenceNumber.Should().Be("21269319989900637946712965403778482371");
        result.Records[1].IsSuccess.Should().BeFalse();
        result.Records[1].ErrorCode.Should().Be("ProvisionedThroughputExceededException");
        result.Records[1].ErrorMessage.Should().StartWith("Rate exceeded for shard");
        result.Records[2].SequenceNumber.Should().Be("21269319989999637946712965403778482985");

        var request = server.Requests.Single();
        request.Target.Should().Be("Kinesis_20131202.PutRecords");
        var body = JsonDocument.Parse(request.Body).RootElement;
        body.GetProperty("StreamName").GetString().Should().Be("exampleStreamName");
        var records = body.GetProperty("Records").EnumerateArray().ToList();
        records.Select(r => r.GetProperty("PartitionKey").GetString()).Should().Equal("a", "b", "c");
        records[0].GetProperty("Data").GetString().Should().Be("eyJpZCI6MX0=");
        records[1].GetProperty("Data").GetString().Should().Be("AP8K");
        records[0].TryGetProperty("ExplicitHashKey", out _).Should().BeFalse("null members are left out of the request");
    }

    [Test]
    public async Task GetRecords_decodes_data_timestamps_and_the_next_iterator()
    {
        await using var server = new LoopbackAwsServer();
        server.Enqueue(ScriptedResponse.Json(GetRecordsResponse));
        var kinesis = new KinesisClient(TestAws.Options(AwsService.Kinesis, server.Endpoint));

        var result = await kinesis.GetRecordsAsync("iterator-1", limit: 25);

        var record = result.Records.Should().ContainSingle().Subject;
        Encoding.UTF8.GetString(record.Data).Should().Be("_<data>_0");
        record.PartitionKey.Should().Be("partitionKey");
        record.ApproximateArrivalTimestamp.Should().BeApproximately(1441215410.867, 0.0005);
        record.SequenceNumber.Should().Be("21269319989652663814458848515492872193");
        result.MillisBehindLatest.Should().Be(2100);
        result.NextShardIterator.Should().StartWith("AAAAAAAAAAHsW8zCWf9164uy8Epue6WS3w6wmj4a4USt");
        var body = JsonDocument.Parse(server.Requests.Single().Body).RootElement;
        body.GetProperty("ShardIterator").GetString().Should().Be("iterator-1");
        body.GetProperty("Limit").GetInt32().Should().Be(25);
    }

    [Test]
    public async Task ListShards_follows_next_tokens_without_repeating_the_stream_name()
    {
        await using var server = new LoopbackAwsServer();
        server.Enqueue(
            ScriptedResponse.Json("""{"Shards":[{"ShardId":"shardId-000000000000"}],"NextToken":"page-2"}"""),
            ScriptedResponse.Json("""{"Shards":[{"ShardId":"shardId-000000000001","SequenceNumberRange":{"StartingSequenceNumber":"1","EndingSequenceNumber":"9"}}]}"""));
        var kinesis = new KinesisClient(TestAws.Options(AwsService.Kinesis, server.Endpoint));

        var shards = await kinesis.ListShardsAsync("orders");

        shards.Select(s => s.ShardId).Should().Equal("shardId-000000000000", "shardId-000000000001");
        shards[0].IsOpen.Should().BeTrue();
        shards[1].IsOpen.Should().BeFalse();
        var second = JsonDocument.Parse(server.Requests[1].Body).RootElement;
        second.GetProperty("NextToken").GetString().Should().Be("page-2");
        second.TryGetProperty("StreamName", out _).Should().BeFalse();
    }

    [Test]
    public async Task CreateStream_asks_for_shards_or_on_demand_mode()
    {
        await using var server = new LoopbackAwsServer();
        var kinesis = new KinesisClient(TestAws.Options(AwsService.Kinesis, server.Endpoint));

        await kinesis.CreateStreamAsync("provisioned", 2);
        await kinesis.CreateStreamAsync("on-demand", null);

        var provisioned = JsonDocument.Parse(server.Requests[0].Body).RootElement;
        provisioned.GetProperty("ShardCount").GetInt32().Should().Be(2);
        provisioned.TryGetProperty("StreamModeDetails", out _).Should().BeFalse();
        var onDemand = JsonDocument.Parse(server.Requests[1].Body).RootElement;
        onDemand.GetProperty("StreamModeDetails").GetProperty("StreamMode").GetString().Should().Be("ON_DEMAND");
        onDemand.TryGetProperty("ShardCount", out _).Should().BeFalse();
    }

    [Test]
    public async Task DescribeStreamSummary_and_GetShardIterator_read_the_wire_names()
    {
        await using var server = new LoopbackAwsServer();
        server.Enqueue(
            ScriptedResponse.Json("""{"StreamDescriptionSummary":{"StreamName":"orders","StreamARN":"arn:aws:kinesis:us-east-1:000000000000:stream/orders","StreamStatus":"ACTIVE","OpenShardCount":2,"RetentionPeriodHours":24,"StreamCreationTimestamp":1700000000.5,"StreamModeDetails":{"StreamMode":"PROVISIONED"},"EnhancedMonitoring":[{"ShardLevelMetrics":[]}],"EncryptionType":"NONE"}}"""),
            ScriptedResponse.Json("""{"ShardIterator":"it-1"}"""));
        var kinesis = new KinesisClient(TestAws.Options(AwsService.Kinesis, server.Endpoint));

        var summary = await kinesis.DescribeStreamSummaryAsync("orders");
        var iterator = await kinesis.GetShardIteratorAsync("orders", "shardId-000000000000", ShardIteratorType.AtSequenceNumber, "42");

        summary.StreamArn.Should().Be("arn:aws:kinesis:us-east-1:000000000000:stream/orders");
        summary.StreamStatus.Should().Be("ACTIVE");
        summary.OpenShardCount.Should().Be(2);
        summary.StreamModeDetails!.StreamMode.Should().Be("PROVISIONED");
        iterator.Should().Be("it-1");
        var body = JsonDocument.Parse(server.Requests[1].Body).RootElement;
        body.GetProperty("ShardIteratorType").GetString().Should().Be("AT_SEQUENCE_NUMBER");
        body.GetProperty("StartingSequenceNumber").GetString().Should().Be("42");
        body.GetProperty("StreamName").GetString().Should().Be("orders");
    }
}

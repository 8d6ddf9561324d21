using FluentAssertions;
using NUnit.Framework;
using System.Text;
using System.Text.Json;
using Pipelines.Shared.Events;

namespace Pipelines.Tests.Shared.Events;

[TestFixture]
public sealed class KinesisEventTests
{
    [Test]
    public void Lambda_docs_sample_decodes_field_by_field()
    {
        var evt = EventFixtures.Load("kinesis-event-lambda-docs.json", EventJsonContext.Default.KinesisEvent);

        evt.Records.Should().HaveCount(2);
        var r = evt.Records[0];
        r.EventSource.Should().Be("aws:kinesis");
        r.EventVersion.Should().Be("1.0");
        r.EventId.Should().Be("shardId-000000000006:49590338271490256608559692538361571095921575989136588898");
        r.ShardId.Should().Be("shardId-000000000006");
        r.EventName.Should().Be("aws:kinesis:record");
        r.InvokeIdentityArn.Should().Be("arn:aws:iam::123456789012:role/lambda-role");
        r.AwsRegion.Should().Be("us-east-2");
        r.EventSourceArn.Should().Be("arn:aws:kinesis:us-east-2:123456789012:stream/lambda-stream");
        r.Kinesis.KinesisSchemaVersion.Should().Be("1.0");
        r.Kinesis.PartitionKey.Should().Be("1");
        r.Kinesis.SequenceNumber.Should().Be("49590338271490256608559692538361571095921575989136588898");
        r.Kinesis.Data.Should().Be("SGVsbG8sIHRoaXMgaXMgYSB0ZXN0Lg==");
        r.Kinesis.TryDecodeData(out var data).Should().BeTrue();
        Encoding.UTF8.GetString(data).Should().Be("Hello, this is a test.");
        r.Kinesis.ApproximateArrivalTimestamp.Should().Be(1545084650.987);
        r.Kinesis.ApproximateArrivalTime.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(1545084650987));
        evt.Records[1].Kinesis.TryDecodeData(out var second).Should().BeTrue();
        Encoding.UTF8.GetString(second).Should().Be("This is only a test.");
    }

    [Test]
    public void Dotnet_sample_decodes_both_records()
    {
        var evt = EventFixtures.Load("kinesis-event.json", EventJsonContext.Default.KinesisEvent);

        evt.Records.Select(r => r.Kinesis.SequenceNumber).Should().Equal(
            "49568167373333333333333333333333333333333333333333333333",
            "49568167373333333334444444444444444444444444444444444444");
        evt.Records[1].Kinesis.ApproximateArrivalTimestamp.Should().Be(1480841523.477);
        evt.Records[0].Kinesis.TryDecodeData(out var data).Should().BeTrue();
        Encoding.UTF8.GetString(data).Should().Be("Hello World");
    }

    [Test]
    public void Bad_base64_is_reported_not_thrown()
    {
        var record = new KinesisRecord { Data = "not base64!!" };

        record.TryDecodeData(out var data).Should().BeFalse();
        data.Should().BeEmpty();
    }

    [Test]
    public void Unknown_members_and_nulls_are_tolerated()
    {
        const string json = """
            {"Records":[{"kinesis":{"partitionKey":null,"sequenceNumber":"1","data":null,"approximateArrivalTimestamp":1.5,
              "somethingNew":{"nested":[1,2]}},"eventSource":null,"eventID":"shardId-1:1","newTopLevel":true}],"extra":1}
            """;

        var evt = JsonSerializer.Deserialize(json, EventJsonContext.Default.KinesisEvent)!;

        var r = evt.Records.Single();
        r.Kinesis.PartitionKey.Should().BeEmpty();
        r.Kinesis.Data.Should().BeEmpty();
        r.EventSource.Should().BeEmpty();
        r.EventSourceArn.Should().BeEmpty();
        r.Kinesis.ApproximateArrivalTimestamp.Should().Be(1.5);
    }

    [Test]
    public void Null_records_become_an_empty_list()
    {
        JsonSerializer.Deserialize("""{"Records":null}""", EventJsonContext.Default.KinesisEvent)!.Records.Should().BeEmpty();
        JsonSerializer.Deserialize("{}", EventJsonContext.Default.KinesisEvent)!.Records.Should().BeEmpty();
    }
}

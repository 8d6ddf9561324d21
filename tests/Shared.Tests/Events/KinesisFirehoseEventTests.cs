using FluentAssertions;
using NUnit.Framework;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Pipelines.Shared.Events;

namespace Pipelines.Tests.Shared.Events;

[TestFixture]
public sealed class KinesisFirehoseEventTests
{
    [Test]
    public void Firehose_docs_sample_decodes_field_by_field()
    {
        var evt = EventFixtures.Load("firehose-event.json", EventJsonContext.Default.KinesisFirehoseEvent);

        evt.InvocationId.Should().Be("invocationIdExample");
        evt.DeliveryStreamArn.Should().Be("arn:aws:kinesis:EXAMPLE");
        evt.Region.Should().Be("us-east-1");
        evt.SourceKinesisStreamArn.Should().BeNull();
        var r = evt.Records.Single();
        r.RecordId.Should().Be("49546986683135544286507457936321625675700192471156785154");
        r.ApproximateArrivalTimestamp.Should().Be(1495072949453);
        r.ApproximateArrivalTime.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(1495072949453));
        r.TryDecodeData(out var data).Should().BeTrue();
        Encoding.UTF8.GetString(data).Should().Be("Hello, this is a test 123.");
        r.KinesisRecordMetadata.Should().BeNull();
    }

    [Test]
    public void Kinesis_sourced_event_carries_record_metadata()
    {
        var evt = EventFixtures.Load("firehose-event-kinesis-source.json", EventJsonContext.Default.KinesisFirehoseEvent);

        evt.SourceKinesisStreamArn.Should().Be("arn:aws:kinesis:us-east-1:123456789012:stream/kinesis-source");
        evt.DeliveryStreamArn.Should().Be("arn:aws:firehose:us-east-2:123456789012:deliverystream/delivery-stream-name");
        var md = evt.Records[1].KinesisRecordMetadata!;
        md.ShardId.Should().Be("shardId-000000000001");
        md.PartitionKey.Should().Be("4d1ad2b9-24f8-4b9d-a088-76e9947c318a");
        md.ApproximateArrivalTimestamp.Should().Be(1664028793294);
        md.SequenceNumber.Should().Be("49546986683135544286507457936321625675700192471156785155");
        md.SubsequenceNumber.Should().Be("0");
        evt.Records[1].TryDecodeData(out var data).Should().BeTrue();
        Encoding.UTF8.GetString(data).Should().Be("""{"Hello": "World"}""");
    }

    [Test]
    public void String_timestamps_and_empty_subsequence_in_metadata_are_accepted()
    {
        var evt = EventFixtures.Load("firehose-event-string-metadata.json", EventJsonContext.Default.KinesisFirehoseEvent);

        evt.Records[0].KinesisRecordMetadata!.ApproximateArrivalTimestamp.Should().Be(1507217624302);
        evt.Records[0].KinesisRecordMetadata!.SubsequenceNumber.Should().BeEmpty();
        evt.Records[1].KinesisRecordMetadata!.ApproximateArrivalTimestamp.Should().Be(1507217624302);
        evt.Records[1].ApproximateArrivalTimestamp.Should().Be(1507217624302);
    }

    [Test]
    public void Response_sample_decodes_field_by_field()
    {
        var response = EventFixtures.Load("kinesis-firehose-response.json", EventJsonContext.Default.KinesisFirehoseResponse);

        var r = response.Records.Single();
        r.RecordId.Should().Be("49572672223665514422805246926656954630972486059535892482");
        r.Result.Should().Be(FirehoseResponseRecord.Ok);
        Encoding.UTF8.GetString(Convert.FromBase64String(r.Data)).Should().Be("HELLO WORLD");
        r.Metadata!.PartitionKeys.Should().Equal(new Dictionary<string, string> { ["iamKey1"] = "iamValue1", ["iamKey2"] = "iamValue2" });
    }

    [Test]
    public void Response_is_written_with_firehose_wire_names_and_without_null_metadata()
    {
        var response = new KinesisFirehoseResponse
        {
            Records =
            {
                new FirehoseResponseRecord { RecordId = "r1", Result = FirehoseResponseRecord.Ok, Data = "e30=",
                    Metadata = new FirehoseResponseMetadata { PartitionKeys = { ["year"] = "2024" } } },
                new FirehoseResponseRecord { RecordId = "r2", Result = FirehoseResponseRecord.ProcessingFailed, Data = "eA==" },
                new FirehoseResponseRecord { RecordId = "r3", Result = FirehoseResponseRecord.Dropped, Data = "" },
            },
        };

        var json = JsonNode.Parse(JsonSerializer.Serialize(response, EventJsonContext.Default.KinesisFirehoseResponse))!;

        json.ToJsonString().Should().Be(
            """{"records":[{"recordId":"r1","result":"Ok","data":"e30=","metadata":{"partitionKeys":{"year":"2024"}}},""" +
            """{"recordId":"r2","result":"ProcessingFailed","data":"eA=="},{"recordId":"r3","result":"Dropped","data":""}]}""");
    }
}

using System.Text;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Orders.Transform.Firehose;
using Pipelines.Shared.Runtime;

namespace Pipelines.Tests.OrdersFirehoseTransform;

public class FirehoseEventReaderTests
{
    private static string Fixture(string name) =>
        File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", name));

    private static FirehoseBatch Read(string json) => FirehoseEventReader.Read(Encoding.UTF8.GetBytes(json));

    private static string Text(ReadOnlySpan<byte> utf8) => Encoding.UTF8.GetString(utf8);

    [Test]
    public void Reads_the_kinesis_source_shape()
    {
        using var batch = Read(Fixture("firehose-orders-event.json"));

        batch.InvocationId.Should().Be("2b4d1ad9-2f48-94bd-a088-767c317e994a");
        batch.Count.Should().Be(5);
        Text(batch.RecordId(0)).Should().Be("49546986683135544286507457936321625675700192471156785150");
        batch.ApproximateArrivalTimestamp(1).Should().Be(1709854201001);
        Text(batch.Data(3)).Should().Be("eyJvcmRlcmlkIjoieCIsInByb2R1Y3RfbmFtZSI6Ik5vIHByaWNlIiwicXVhbnRpdHkiOjF9");
        Text(batch.Data(4)).Should().Be("not*base64!");
    }

    [Test]
    public void Reads_the_direct_put_shape_from_the_aws_sample()
    {
        using var batch = Read(Fixture("firehose-aws-sample.json"));

        batch.InvocationId.Should().Be("invocationIdExample");
        batch.Count.Should().Be(1);
        Text(batch.RecordId(0)).Should().Be("49546986683135544286507457936321625675700192471156785154");
        batch.ApproximateArrivalTimestamp(0).Should().Be(1495072949453);
        Text(batch.Data(0)).Should().Be("SGVsbG8sIHRoaXMgaXMgYSB0ZXN0IDEyMy4=");
    }

    [Test]
    public void Unescapes_record_ids_and_data_into_utf8()
    {
        using var batch = Read("""{"records":[{"recordId":"a\"b\\c \u00e9 \ud83d\ude00 é","data":"ab\/c\u002B=="}]}""");

        Text(batch.RecordId(0)).Should().Be("a\"b\\c é 😀 é");
        Text(batch.Data(0)).Should().Be("ab/c+==");
    }

    [Test]
    public void Missing_or_null_members_read_as_empty_and_zero()
    {
        using var batch = Read("""{"records":[{"recordId":null,"data":null,"approximateArrivalTimestamp":null},{}]}""");

        batch.Count.Should().Be(2);
        batch.InvocationId.Should().BeEmpty();
        for (var i = 0; i < 2; i++)
        {
            batch.RecordId(i).IsEmpty.Should().BeTrue();
            batch.Data(i).IsEmpty.Should().BeTrue();
            batch.ApproximateArrivalTimestamp(i).Should().Be(0);
        }
    }

    [TestCase("1709854201000", 1709854201000)]
    [TestCase("\"1709854201000\"", 1709854201000)]
    [TestCase("\"2024-03-07T23:30:01Z\"", 1709854201000)]
    [TestCase("1709854201000.9", 1709854201000)]
    [TestCase("\"soon\"", 0)]
    [TestCase("{\"nested\":1}", 0)]
    public void Arrival_time_is_read_leniently(string json, long expected)
    {
        using var batch = Read($$"""{"records":[{"recordId":"r","approximateArrivalTimestamp":{{json}},"data":""}]}""");

        batch.ApproximateArrivalTimestamp(0).Should().Be(expected);
    }

    [Test]
    public void Skips_kinesis_record_metadata_unknown_members_comments_and_trailing_commas_and_ignores_name_case()
    {
        using var batch = Read("""
            {
              // Kinesis-source members this function does not use
              "sourceKinesisStreamArn": "arn:aws:kinesis:us-east-1:1:stream/s",
              "future": {"records": [{"recordId": "not me"}]},
              "RECORDS": [
                {"RecordId": "r1", "Data": "AAAA", "kinesisRecordMetadata": {"shardId": 7, "subsequenceNumber": 12, "x": [1, 2]},},
                {"recordId": "r2", "data": "BBBB", "kinesisRecordMetadata": null, "unknown": [{"data": "no"}]},
              ],
              "InvocationID": "inv",
            }
            """);

        batch.InvocationId.Should().Be("inv");
        batch.Count.Should().Be(2);
        Text(batch.RecordId(0)).Should().Be("r1");
        Text(batch.Data(0)).Should().Be("AAAA");
        Text(batch.RecordId(1)).Should().Be("r2");
        Text(batch.Data(1)).Should().Be("BBBB");
    }

    [Test]
    public void A_repeated_records_member_replaces_the_earlier_one()
    {
        using var batch = Read("""{"records":[{"recordId":"old","data":"AAAA"},{"recordId":"old2"}],"records":[{"recordId":"new","data":"BBBB"}]}""");

        batch.Count.Should().Be(1);
        Text(batch.RecordId(0)).Should().Be("new");
        Text(batch.Data(0)).Should().Be("BBBB");
    }

    [Test]
    public void Reads_thousands_of_records()
    {
        var records = Enumerable.Range(0, 5000).Select(i => $$"""{"recordId":"r{{i}}","approximateArrivalTimestamp":{{i}},"data":"QUJD"}""");
        using var batch = Read($$"""{"records":[{{string.Join(",", records)}}]}""");

        batch.Count.Should().Be(5000);
        Text(batch.RecordId(4999)).Should().Be("r4999");
        batch.ApproximateArrivalTimestamp(4999).Should().Be(4999);
    }

    [TestCase("null", "JSON null")]
    [TestCase("", "")]
    [TestCase("   ", "")]
    [TestCase("42", "expected an object")]
    [TestCase("{\"records\":[1]}", "records[]")]
    [TestCase("{\"records\":\"x\"}", "expected an array")]
    [TestCase("{\"records\":[{\"data\":[]}]}", "data")]
    [TestCase("{\"deliveryStreamArn\":false}", "expected a string")]
    [TestCase("{\"records\":[]}]", "")]
    [TestCase("{\"records\":[{\"recordId\":\"a\"}", "")]
    public void Malformed_events_fail_with_invalid_event_exception(string json, string messagePart)
    {
        var act = () => Read(json).Dispose();

        act.Should().Throw<InvalidEventException>().WithMessage($"*{messagePart}*");
    }
}

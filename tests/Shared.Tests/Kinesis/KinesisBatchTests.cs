using System.Globalization;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Shared.Events;
using Pipelines.Shared.Kinesis;
using Pipelines.Shared.Runtime;
using Pipelines.Tests.Shared.Events;

namespace Pipelines.Tests.Shared.Kinesis;

[TestFixture]
public sealed class KinesisBatchTests
{
    [TestCase("kinesis-event-lambda-docs.json")]
    [TestCase("kinesis-event.json")]
    public void Reads_the_same_lineage_and_data_as_the_object_contract(string fixture)
    {
        var bytes = File.ReadAllBytes(EventFixtures.Path(fixture));
        var expected = JsonSerializer.Deserialize(bytes, EventJsonContext.Default.KinesisEvent)!;

        using var batch = KinesisBatch.Parse(bytes);

        batch.Count.Should().Be(expected.Records.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Source.Should().Be(SourceRecord.From(expected.Records[i]));
            batch.DataText(i).Should().Be(expected.Records[i].Kinesis.Data);
        }
    }

    [Test]
    public void Lambda_docs_sample_gives_shard_sequence_partition_key_arrival_and_payload()
    {
        using var batch = KinesisBatch.Parse(File.ReadAllBytes(EventFixtures.Path("kinesis-event-lambda-docs.json")));

        var first = batch[0];
        first.SequenceNumber.Should().Be("49590338271490256608559692538361571095921575989136588898");
        first.Source.ShardId.Should().Be("shardId-000000000006");
        first.Source.PartitionKey.Should().Be("1");
        first.Source.ArrivalTime.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(1545084650987));
        batch.ArrivalTime(0).Should().Be(first.Source.ArrivalTime);
        PooledPayload.TryDecode(batch.Data(0), out var payload).Should().BeNull();
        using (payload) Encoding.UTF8.GetString(payload.Span).Should().Be("Hello, this is a test.");
        ReferenceEquals(batch[0].Source.ShardId, batch[1].Source.ShardId).Should().BeTrue("one batch comes from one shard, so its id is made once");
    }

    [Test]
    public void Reads_names_in_any_case_skips_unknown_members_and_comments_and_tolerates_nulls()
    {
        const string json = """
            {
              "extra": {"nested": [1, 2, {"Records": "not these"}]},
              /* Lambda never sends comments, but the object contract reads them, so this reader does too */
              "records": [
                {
                  "EVENTID": "shardId-000000000001:42",
                  "kinesis": {
                    "SequenceNumber": "42",
                    "partitionKey": null,
                    "approximateArrivalTimestamp": "1545084650.5",
                    "encryptionType": "KMS",
                    "data": "aGk=",
                  },
                  "eventSourceARN": "arn:aws:kinesis:us-east-1:123456789012:stream/s"
                },
                { "eventID": "no-colon", "kinesis": { "sequenceNumber": 43, "data": null } },
              ]
            }
            """;

        using var batch = KinesisBatch.Parse(Encoding.UTF8.GetBytes(json));

        batch.Count.Should().Be(2);
        batch[0].Source.Should().Be(new SourceRecord("42", "shardId-000000000001", "", DateTimeOffset.FromUnixTimeMilliseconds(1545084650500)));
        batch.DataText(0).Should().Be("aGk=");
        batch[1].SequenceNumber.Should().Be("43", "a numeric sequence number keeps its text, as the contract's lenient strings do");
        batch[1].Source.ShardId.Should().Be("shardId-unknown");
        batch.Data(1).Length.Should().Be(0);
    }

    [Test]
    public void Unescapes_json_escapes_in_data_and_ids()
    {
        // JSON may escape '/' as "\/" and any character as \uXXXX; the base64 text must come out unescaped.
        const string json = """{"Records":[{"eventID":"shard\u0049d-1:7","kinesis":{"sequenceNumber":"7","partitionKey":"p\u00e9","data":"YS9i\/w=="}}]}""";

        using var batch = KinesisBatch.Parse(Encoding.UTF8.GetBytes(json));

        batch.DataText(0).Should().Be("YS9i/w==");
        batch[0].Source.ShardId.Should().Be("shardId-1");
        batch[0].Source.PartitionKey.Should().Be("pé");
    }

    [TestCase("{}", 0)]
    [TestCase("""{"Records":null}""", 0)]
    [TestCase("""{"Records":[]}""", 0)]
    public void An_event_without_records_is_an_empty_batch(string json, int count)
    {
        using var batch = KinesisBatch.Parse(Encoding.UTF8.GetBytes(json));
        batch.Count.Should().Be(count);
    }

    [TestCase("[]", "expected an object")]
    [TestCase("""{"Records":{}}""", "Records")]
    [TestCase("""{"Records":[{"kinesis":{"data":{}}}]}""", "kinesis.data")]
    [TestCase("""{"Records":[{"kinesis":{"sequenceNumber":[]}}]}""", "kinesis.sequenceNumber")]
    [TestCase("""{"Records":[{"kinesis":{"approximateArrivalTimestamp":"soon"}}]}""", "approximateArrivalTimestamp")]
    [TestCase("""{"Records":[{"kinesis":""", "JSON")]
    [TestCase("""{"Records":[{"kinesis":{"data":"aGk="}}] trailing""", "JSON")]
    public void A_payload_that_is_not_a_kinesis_event_is_an_invalid_event_naming_the_problem(string json, string mentioned)
    {
        var read = () => KinesisBatch.Parse(Encoding.UTF8.GetBytes(json));

        read.Should().Throw<InvalidEventException>().Which.Message.Should().Contain(mentioned);
    }

    [Test]
    public void From_an_object_event_round_trips_through_the_reader()
    {
        var evt = JsonSerializer.Deserialize(File.ReadAllBytes(EventFixtures.Path("kinesis-event.json")), EventJsonContext.Default.KinesisEvent)!;

        using var batch = KinesisBatch.From(evt);

        batch.Count.Should().Be(2);
        batch.DataText(1).Should().Be(evt.Records[1].Kinesis.Data);
    }

    [Test]
    public void Holds_every_record_of_a_large_batch_in_order_and_makes_each_lineage_once()
    {
        var json = new StringBuilder("""{"Records":[""");
        for (var i = 0; i < 300; i++)
        {
            if (i > 0) json.Append(',');
            json.Append(CultureInfo.InvariantCulture, $$$"""{"eventID":"shardId-000000000002:{{{i}}}","kinesis":{"sequenceNumber":"{{{i}}}","partitionKey":"k{{{i}}}","data":"eA=="}}""");
        }
        json.Append("]}");

        using var batch = KinesisBatch.Parse(Encoding.UTF8.GetBytes(json.ToString()));

        batch.Count.Should().Be(300);
        Enumerable.Range(0, 300).Select(batch.SequenceNumber).Should().Equal(Enumerable.Range(0, 300).Select(i => i.ToString(CultureInfo.InvariantCulture)));
        batch.Source(299).PartitionKey.Should().Be("k299");
        batch.ShardId(150).Should().Be("shardId-000000000002");
        ReferenceEquals(batch.Source(7).SequenceNumber, batch[7].SequenceNumber).Should().BeTrue("a record's strings are made once");
    }

    [Test]
    public void A_disposed_batch_no_longer_hands_out_its_pooled_data()
    {
        var batch = KinesisBatch.Parse(File.ReadAllBytes(EventFixtures.Path("kinesis-event.json")));
        batch.Dispose();

        var read = () => batch.Data(0).Length;

        read.Should().Throw<ObjectDisposedException>();
    }
}

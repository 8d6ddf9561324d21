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

/// <summary>
/// The fast path for Lambda's own Kinesis events against the lenient reader: whenever it takes an event, the batch
/// must be the reader's, record for record; whatever it declines is the reader's to read or refuse.
/// </summary>
[TestFixture]
public sealed class KinesisEventScannerTests
{
    [TestCase("kinesis-event-lambda-docs.json")]
    [TestCase("kinesis-event.json")]
    public void Takes_the_aws_sample_events_and_reads_them_as_the_reader_does(string fixture)
    {
        var bytes = File.ReadAllBytes(EventFixtures.Path(fixture));

        using var fast = KinesisEventScanner.TryRead(bytes);

        fast.Should().NotBeNull("AWS's own samples are the shape the fast path exists for");
        ShouldMatchReader(fast!, bytes);
    }

    [Test]
    public void Takes_compact_and_indented_generated_events_of_every_size()
    {
        var random = new Random(8);
        foreach (var size in new[] { 0, 1, 2, 17, 500, 1000 })
        {
            var json = Event(random, size);
            foreach (var bytes in new[] { json, Indented(json) })
            {
                using var fast = KinesisEventScanner.TryRead(bytes);
                fast.Should().NotBeNull($"a plain event of {size} records");
                fast!.Count.Should().Be(size);
                ShouldMatchReader(fast, bytes);
            }
        }
    }

    [TestCase("""{"Records":[{"kinesis":{"data":"QQ==","sequenceNumber":"1"},"eventID":"s:1",}]}""", TestName = "a trailing comma")]
    [TestCase("""{"Records":[/* c */{"kinesis":{"data":"QQ==","sequenceNumber":"1"},"eventID":"s:1"}]}""", TestName = "a comment")]
    [TestCase("""{"records":[{"kinesis":{"data":"QQ==","sequenceNumber":"1"},"eventID":"s:1"}]}""", TestName = "Records in another case")]
    [TestCase("""{"Records":[{"kinesis":{"Data":"QQ==","sequenceNumber":"1"},"eventID":"s:1"}]}""", TestName = "data in another case")]
    [TestCase("""{"Records":[{"Kinesis":{"data":"QQ==","sequenceNumber":"1"},"eventID":"s:1"}]}""", TestName = "kinesis in another case")]
    [TestCase("""{"Records":[{"kinesis":{"data":"Q\u0051==","sequenceNumber":"1"},"eventID":"s:1"}]}""", TestName = "an escaped string")]
    [TestCase("""{"Records":[{"kinesis":{"data":"QQ==","sequenceNumber":1},"eventID":"s:1"}]}""", TestName = "a numeric sequence number")]
    [TestCase("""{"Records":[{"kinesis":{"data":null,"sequenceNumber":"1"},"eventID":"s:1"}]}""", TestName = "a null string")]
    [TestCase("""{"Records":[{"kinesis":{"data":"QQ==","approximateArrivalTimestamp":"1545084650.987"},"eventID":"s:1"}]}""", TestName = "a timestamp as a string")]
    [TestCase("""{"Records":[{"kinesis":{"data":"QQ==","approximateArrivalTimestamp":01},"eventID":"s:1"}]}""", TestName = "a number with a leading zero")]
    [TestCase("""{"Records":[{"kinesis":{"data":"QQ==","approximateArrivalTimestamp":1.},"eventID":"s:1"}]}""", TestName = "a number without fraction digits")]
    [TestCase("""{"Records":[{"kinesis":{"data":"QQ==","approximateArrivalTimestamp":1e999},"eventID":"s:1"}]}""", TestName = "an infinite number")]
    [TestCase("""{"Records":[{"kinesis":{"data":"QQ=="},"eventID":"s:1","extra":{"a":1}}]}""", TestName = "a member that is not a string")]
    [TestCase("""{"Records":[],"more":1}""", TestName = "a second top-level member")]
    [TestCase("""{"Records":[]} x""", TestName = "text after the event")]
    [TestCase("""{"Records":[{"kinesis":{"data":"QQ=="}}""", TestName = "a cut-short event")]
    [TestCase("""{"Records":[{}]}""", TestName = "an empty record")]
    public void Declines_anything_outside_the_plain_form(string json)
    {
        using var fast = KinesisEventScanner.TryRead(Encoding.UTF8.GetBytes(json));

        fast.Should().BeNull();
    }

    [Test]
    public void An_event_whose_kept_text_is_not_utf8_is_refused_as_invalid_not_thrown_out_raw()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"Records":[{"kinesis":{"data":"QQ==","partitionKey":"k#"},"eventID":"shardId-1:7"}]}""");
        bytes[Array.IndexOf(bytes, (byte)'#')] = 0xFF;

        var read = () => KinesisBatch.Parse(bytes);

        read.Should().Throw<InvalidEventException>().WithMessage("The payload is not valid JSON*");
    }

    [Test]
    public void Reads_arrival_timestamps_as_the_reader_does()
    {
        foreach (var number in new[] { "0", "-0", "1545084650", "1545084650.987", "1545084650.9871234567891", "1.5450846509870001E9", "1545084650987e-3", "2E+3", "0.1", "-12.5e-1",
                     "0.3", "1545084650.1", "-1545084650.987", "123456789012345", "12345678901234.5", "1234567890123456", "0.000000000000001", "9007199254740993" })
        {
            var bytes = Encoding.UTF8.GetBytes(
                $$"""{"Records":[{"kinesis":{"data":"QQ==","sequenceNumber":"7","approximateArrivalTimestamp":{{number}}},"eventID":"shardId-1:7"}]}""");

            using var fast = KinesisEventScanner.TryRead(bytes);

            fast.Should().NotBeNull(number);
            ShouldMatchReader(fast!, bytes);
        }
    }

    [Test]
    public void Twenty_thousand_mutated_events_are_either_declined_or_read_exactly_as_the_reader_reads_them()
    {
        var random = new Random(20261121);
        ReadOnlySpan<byte> alphabet = " \t\n\r\"\\,:{}[]0123456789.eE+-/*abcnulltrueQ=\u00e9"u8;
        var seeds = new[] { File.ReadAllBytes(EventFixtures.Path("kinesis-event-lambda-docs.json")), Event(random, 3), Event(random, 1) };
        int taken = 0, declined = 0;
        for (var n = 0; n < 20_000; n++)
        {
            var bytes = seeds[n % seeds.Length].ToList();
            for (var edits = random.Next(1, 4); edits > 0 && bytes.Count > 0; edits--)
            {
                var at = random.Next(bytes.Count);
                switch (random.Next(4))
                {
                    case 0: bytes.RemoveAt(at); break;
                    case 1: bytes.Insert(at, alphabet[random.Next(alphabet.Length)]); break;
                    case 2: bytes[at] = alphabet[random.Next(alphabet.Length)]; break;
                    default: bytes[at] = (byte)random.Next(256); break;
                }
            }
            var json = bytes.ToArray();
            using var fast = KinesisEventScanner.TryRead(json);
            if (fast is null)
            {
                declined++;
                continue;
            }
            taken++;
            ShouldMatchReader(fast, json);
        }
        taken.Should().BeGreaterThan(1_000, "mutations inside values and whitespace keep many events in the plain form");
        declined.Should().BeGreaterThan(1_000);
    }

    private static void ShouldMatchReader(KinesisBatch fast, byte[] json)
    {
        KinesisBatch reader;
        try
        {
            reader = KinesisEventReader.ReadLenient(json);
        }
        catch (InvalidEventException e)
        {
            Assert.Fail($"the fast path took an event the reader refuses ({e.Message}): {Encoding.UTF8.GetString(json)}");
            return;
        }
        using (reader)
        {
            fast.Count.Should().Be(reader.Count);
            for (var i = 0; i < reader.Count; i++)
            {
                var because = Encoding.UTF8.GetString(json);
                fast.SequenceNumber(i).Should().Be(reader.SequenceNumber(i), because);
                fast.ShardId(i).Should().Be(reader.ShardId(i), because);
                fast.PartitionKey(i).Should().Be(reader.PartitionKey(i), because);
                fast.ArrivalEpochSeconds(i).Should().Be(reader.ArrivalEpochSeconds(i), because);
                fast.Data(i).SequenceEqual(reader.Data(i)).Should().BeTrue(because);
            }
        }
    }

    /// <summary>A Kinesis event as Lambda writes it, with partition keys and data of every kind a producer sends.</summary>
    private static byte[] Event(Random random, int records)
    {
        var e = new KinesisEvent();
        for (var i = 0; i < records; i++)
        {
            var data = new byte[random.Next(0, 400)];
            random.NextBytes(data);
            var sequence = "4959033827149025660855969253836157109592157598913" + (6588898 + i).ToString(CultureInfo.InvariantCulture);
            e.Records.Add(new KinesisEventRecord
            {
                EventSource = "aws:kinesis",
                EventVersion = "1.0",
                EventId = $"shardId-00000000000{i % 2}:{sequence}",
                EventName = "aws:kinesis:record",
                InvokeIdentityArn = "arn:aws:iam::123456789012:role/lambda-role",
                AwsRegion = "us-east-2",
                EventSourceArn = "arn:aws:kinesis:us-east-2:123456789012:stream/lambda-stream",
                Kinesis = new KinesisRecord
                {
                    KinesisSchemaVersion = "1.0",
                    PartitionKey = (i % 3) switch { 0 => $"user-{i}", 1 => "日本-ü", _ => "" },
                    SequenceNumber = sequence,
                    Data = Convert.ToBase64String(data),
                    ApproximateArrivalTimestamp = 1545084650 + random.Next(0, 1000) / 1000.0,
                },
            });
        }
        // Lambda writes '+', '/' and non-ASCII text as they are; the serializer's default encoder would escape them.
        return Rewritten(JsonSerializer.SerializeToUtf8Bytes(e, EventJsonContext.Default.KinesisEvent), indented: false);
    }

    private static byte[] Indented(byte[] json) => Rewritten(json, indented: true);

    private static byte[] Rewritten(byte[] json, bool indented)
    {
        using var document = JsonDocument.Parse(json);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            document.WriteTo(writer);
        return buffer.ToArray();
    }
}

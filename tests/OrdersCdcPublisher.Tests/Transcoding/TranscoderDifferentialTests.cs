using FluentAssertions;
using NUnit.Framework;

namespace Pipelines.Tests.OrdersCdcPublisher.Transcoding;

/// <summary>
/// The handler's byte-level decoding gives, for every record, exactly what the object-model path it replaced gave:
/// the same CDC bytes, orderid, sequence number, reject reason and stored record, or the same error.
/// </summary>
public class TranscoderDifferentialTests
{
    [TestCase("orders-stream-event.json")]
    [TestCase("dynamodb-stream-aws-sample.json")]
    public async Task Fixture_events_come_out_the_same(string fixture)
    {
        var payload = System.Text.Encoding.UTF8.GetBytes(Fixtures.Text(fixture));

        var expected = await BothPaths.ObjectModel(payload);
        var actual = await BothPaths.Handler(payload);

        actual.Text.Should().Be(expected.Text);
        actual.Transcoded.Should().Be(expected.Published, "every publishable record is transcoded from the bytes");
    }

    [Test]
    public async Task Generated_events_with_utf8_text_come_out_the_same_and_every_publishable_record_is_transcoded(
        [Range(1, 40)] int seed)
    {
        var payload = new GeneratedStreamEvents(seed, GeneratedStreamEvents.Escaping.Relaxed).Event(records: 30);

        var expected = await BothPaths.ObjectModel(payload);
        var actual = await BothPaths.Handler(payload);

        expected.Text.Should().NotStartWith("error");
        expected.Published.Should().BeGreaterThan(15);
        actual.Text.Should().Be(expected.Text);
        actual.Transcoded.Should().Be(expected.Published);
    }

    [Test]
    public async Task Generated_events_with_escaped_text_come_out_the_same([Range(1, 20)] int seed)
    {
        var payload = new GeneratedStreamEvents(seed, GeneratedStreamEvents.Escaping.Strict).Event(records: 30);

        var expected = await BothPaths.ObjectModel(payload);
        var actual = await BothPaths.Handler(payload);

        actual.Text.Should().Be(expected.Text);
        actual.Transcoded.Should().BeGreaterThan(0);
    }

    [TestCaseSource(typeof(OddStreamEvents), nameof(OddStreamEvents.Records))]
    public async Task Odd_records_are_published_rejected_or_fail_the_same(byte[] payload)
    {
        var expected = await BothPaths.ObjectModel(payload);

        (await BothPaths.Handler(payload)).Text.Should().Be(expected.Text);
    }

    [TestCaseSource(typeof(OddStreamEvents), nameof(OddStreamEvents.Payloads))]
    public async Task Malformed_payloads_fail_the_same(byte[] payload)
    {
        var expected = await BothPaths.ObjectModel(payload);

        (await BothPaths.Handler(payload)).Text.Should().Be(expected.Text);
    }

    [TestCaseSource(typeof(OddStreamEvents), nameof(OddStreamEvents.Payloads))]
    public async Task Payloads_from_a_plain_stream_fail_the_same(byte[] payload)
    {
        var expected = await BothPaths.ObjectModel(payload, asMemoryStream: false);

        (await BothPaths.Handler(payload, asMemoryStream: false)).Text.Should().Be(expected.Text);
    }

    [Test]
    public async Task A_plain_stream_gives_the_same_records([Values(3, 7)] int seed)
    {
        var payload = new GeneratedStreamEvents(seed, GeneratedStreamEvents.Escaping.Relaxed).Event(records: 200);

        var expected = await BothPaths.ObjectModel(payload);
        var actual = await BothPaths.Handler(payload, asMemoryStream: false);

        actual.Text.Should().Be(expected.Text);
        actual.Transcoded.Should().Be(expected.Published);
    }
}

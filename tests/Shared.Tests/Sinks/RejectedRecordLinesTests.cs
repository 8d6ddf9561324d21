using System.Text;
using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Shared.Sinks;

namespace Pipelines.Tests.Shared.Sinks;

[TestFixture]
public sealed class RejectedRecordLinesTests
{
    private static readonly DateTimeOffset Arrival = DateTimeOffset.FromUnixTimeMilliseconds(1441215410867);

    private static JsonElement[] Parse(byte[] output)
    {
        var text = Encoding.UTF8.GetString(output);
        text.Should().EndWith("\n");
        return text.TrimEnd('\n').Split('\n').Select(line => JsonDocument.Parse(line).RootElement).ToArray();
    }

    [Test]
    public void Each_record_becomes_one_json_line_with_provenance_and_both_data_forms()
    {
        var record = new RejectedRecord(
            "invalid JSON: unexpected end", "49590338271490256608559692538361571095921575989136588898", Encoding.UTF8.GetBytes("{\"review\": \"tr\u00e8s bien\""),
            PartitionKey: "B00EXAMPLE", ShardId: "shardId-000000000000", ApproximateArrival: Arrival);

        var line = Parse(RejectedRecordLines.Format([record])).Should().ContainSingle().Subject;

        line.GetProperty("reason").GetString().Should().Be("invalid JSON: unexpected end");
        line.GetProperty("source").GetString().Should().Be("49590338271490256608559692538361571095921575989136588898");
        line.GetProperty("partition_key").GetString().Should().Be("B00EXAMPLE");
        line.GetProperty("shard_id").GetString().Should().Be("shardId-000000000000");
        line.GetProperty("approximate_arrival").GetString().Should().Be("2015-09-02T17:36:50.867Z");
        line.GetProperty("data_base64").GetString().Should().Be(Convert.ToBase64String(record.Data.Span));
        line.GetProperty("data_text").GetString().Should().Be("{\"review\": \"tr\u00e8s bien\"");
    }

    [Test]
    public void Bytes_that_are_not_utf8_are_kept_only_as_base64()
    {
        byte[] data = [0xC3, 0x28, 0xFF, 0x00];

        var line = Parse(RejectedRecordLines.Format([new RejectedRecord("bad base64", "seq-1", data)])).Single();

        line.TryGetProperty("data_text", out _).Should().BeFalse();
        Convert.FromBase64String(line.GetProperty("data_base64").GetString()!).Should().Equal(data);
        line.GetProperty("partition_key").ValueKind.Should().Be(JsonValueKind.Null);
        line.GetProperty("shard_id").ValueKind.Should().Be(JsonValueKind.Null);
        line.GetProperty("approximate_arrival").ValueKind.Should().Be(JsonValueKind.Null);
    }

    [Test]
    public void Text_with_newlines_and_quotes_stays_on_one_line()
    {
        var data = Encoding.UTF8.GetBytes("line one\nline \"two\"\r\n");

        var output = RejectedRecordLines.Format([new RejectedRecord("schema", "a", data), new RejectedRecord("schema", "b", data)]);

        var lines = Parse(output);
        lines.Should().HaveCount(2);
        lines[1].GetProperty("data_text").GetString().Should().Be("line one\nline \"two\"\r\n");
    }

    [Test]
    public void Empty_data_is_written_as_empty_strings()
    {
        var line = Parse(RejectedRecordLines.Format([new RejectedRecord("empty record", "a", ReadOnlyMemory<byte>.Empty)])).Single();

        line.GetProperty("data_base64").GetString().Should().BeEmpty();
        line.GetProperty("data_text").GetString().Should().BeEmpty();
    }

    [Test]
    public void Object_names_depend_on_the_source_ids_not_their_order()
    {
        var a = new RejectedRecord("r", "seq-1", new byte[] { 1 });
        var b = new RejectedRecord("r", "seq-2", new byte[] { 2 });

        var name = RejectedRecordsWriter.ObjectNameFor([a, b]);

        name.Should().MatchRegex("^[0-9a-f]{32}\\.jsonl$");
        RejectedRecordsWriter.ObjectNameFor([b, a]).Should().Be(name);
        RejectedRecordsWriter.ObjectNameFor([a]).Should().NotBe(name);
    }
}

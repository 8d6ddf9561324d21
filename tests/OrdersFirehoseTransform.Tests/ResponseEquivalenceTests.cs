using System.Text;
using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Orders.Transform;
using Pipelines.Shared.Events;
using Pipelines.Shared.Runtime;
using Pipelines.Tests.OrdersFirehoseTransform.Legacy;
using Pipelines.Tests.OrdersFirehoseTransform.Support;
using static Pipelines.Tests.OrdersFirehoseTransform.Support.FirehoseCorpus;

namespace Pipelines.Tests.OrdersFirehoseTransform;

/// <summary>
/// The streaming handler against a frozen copy of the object-based one it replaced (Legacy/): every answer must be
/// the same JSON value. The only byte-level difference allowed is that '+' in Ok data is no longer escaped as \u002B.
/// </summary>
public class ResponseEquivalenceTests
{
    private static readonly string[] RecordIds =
    [
        "\"49546986683135544286507457936321625675700192471156785150\"",
        "\"rec\\\"quoted\\\"\"",
        "\"back\\\\slash/and/slash\"",
        "\"\\u00e9t\\u00e9 escaped\"",
        "\"été raw\"",
        "\"😀 raw and \\ud83d\\ude00 escaped\"",
        "\"<html>&'`+\"",
        "\"line\\nbreak\\ttab\\u0001\"",
        "\"\"",
        "null",
    ];

    private static async Task AssertSameAnswers(string eventJson) => await AssertSameAnswers(Encoding.UTF8.GetBytes(eventJson));

    private static async Task AssertSameAnswers(byte[] eventJson)
    {
        var legacy = await HandlerRun.InvokeAsync(new LegacyTransformHandler(), eventJson);
        var streaming = await HandlerRun.InvokeAsync(new OrdersTransformHandler(), eventJson);

        legacy.Error.Should().BeNull();
        streaming.Error.Should().BeNull();
        streaming.Parsed.Records.Should().BeEquivalentTo(legacy.Parsed.Records, o => o.WithStrictOrdering());
        foreach (var counter in new[] { "received", "ok", "failed", "overResponseLimit" })
            streaming.Summary.GetProperty(counter).GetInt64().Should().Be(legacy.Summary.GetProperty(counter).GetInt64(), counter);
        streaming.Summary.GetProperty("responseBytes").GetInt64().Should().Be(streaming.Response.Length, "the budget predicts the bytes exactly");
        streaming.Response.Length.Should().BeLessThanOrEqualTo(legacy.Response.Length);
    }

    [Test]
    public async Task Every_cdc_payload_gets_the_same_answer()
    {
        var records = CdcPayloads().Select((cdc, i) => Record(RecordIds[i % RecordIds.Length], Base64Literal(cdc), KinesisSourceMetadata(i)));

        await AssertSameAnswers(KinesisSourceEvent(records));
    }

    [Test]
    public async Task Every_record_id_gets_the_same_answer_whatever_the_outcome()
    {
        var data = new[] { Base64Literal(Cdc), Base64Literal("not json"), "\"not*base64!\"" };
        var records = RecordIds.SelectMany(id => data.Select(d => Record(id, d)))
            .Append(Record(recordIdJson: null, Base64Literal(Cdc)));

        await AssertSameAnswers(DirectPutEvent(records));
    }

    [Test]
    public async Task Every_kind_of_data_field_gets_the_same_answer()
    {
        var cdc = Encoding.UTF8.GetBytes(Cdc);
        // A record whose length needs base64 padding, for the non-canonical variant.
        var padded = new[] { "7f3c1", "7f3c12" }.Select(id => Encoding.UTF8.GetBytes(CdcWith("7f3c", id))).First(b => b.Length % 3 != 0);
        var base64 = Convert.ToBase64String(cdc);
        string[] data =
        [
            Base64Literal(cdc),
            JsonSerializer.Serialize(NonCanonicalBase64(padded)),    // Convert accepts it: transformed
            "\"" + base64.Replace("/", "\\/", StringComparison.Ordinal).Replace("+", "\\u002B", StringComparison.Ordinal) + "\"",
            "\"" + base64[..40] + "\\n" + base64[40..] + "\"",       // whitespace inside base64: skipped
            "\"" + base64 + " \"",
            Base64Literal(CdcWithInvalidUtf8()),                     // invalid UTF-8 inside the CDC record
            Base64Literal(new byte[] { 0xFB, 0xFF, 0xBF, 0x00 }),     // binary: '+' and '/' echoed back
            "\"not*base64!\"",
            "\"abc\"",
            "\"====\"",
            "\"eyJ\"",
            "\"\\u00e9t\\u00e9\"",
            "\"\"",
            "null",
        ];
        var records = data.Select((d, i) => Record($"\"id-{i}\"", d)).Append(Record("\"no-data\"", dataJson: null));

        await AssertSameAnswers(DirectPutEvent(records));
    }

    [Test]
    public async Task Event_shapes_and_lenient_members_get_the_same_answer()
    {
        var cdc = Base64Literal(Cdc);
        string[] records =
        [
            Record("\"kinesis\"", cdc, KinesisSourceMetadata(1)),
            Record("\"metadata-null\"", cdc, "\"kinesisRecordMetadata\":null"),
            Record("\"numeric-subsequence\"", cdc,
                "\"kinesisRecordMetadata\":{\"shardId\":\"s\",\"partitionKey\":\"p\",\"approximateArrivalTimestamp\":\"2024-03-07T23:30:00Z\",\"sequenceNumber\":\"1\",\"subsequenceNumber\":12}"),
            "{\"recordId\":\"string-time\",\"approximateArrivalTimestamp\":\"1709854201000\",\"data\":" + cdc + "}",
            "{\"recordId\":\"iso-time\",\"approximateArrivalTimestamp\":\"2024-03-07T23:30:00Z\",\"data\":" + cdc + "}",
            "{\"recordId\":\"null-time\",\"approximateArrivalTimestamp\":null,\"data\":" + cdc + "}",
            "{\"recordId\":\"no-time\",\"data\":" + cdc + "}",
            "{\"RecordId\":\"case\",\"DATA\":" + cdc + ",\"unknown\":{\"nested\":[1,{\"recordId\":\"x\"}]}}",
            "{\"recordId\":\"first\",\"recordId\":\"repeated\",\"data\":\"AAAA\",\"data\":" + cdc + "}",
            "/* a comment */ {\"recordId\":\"commented\",\"data\":" + cdc + ",}",
        ];
        var json = "{\"invocationId\":null,\"Records\":[{\"recordId\":\"replaced\",\"data\":" + cdc + "}],\"extra\":[1,2,{}],"
            + "\"records\":[" + string.Join(",", records) + ",],\"region\":null}";

        await AssertSameAnswers(json);
    }

    [Test]
    public async Task Empty_and_absent_record_lists_get_the_same_answer()
    {
        await AssertSameAnswers("""{"invocationId":"i","deliveryStreamArn":"a","region":"us-east-1","records":[]}""");
        await AssertSameAnswers("""{"invocationId":"i","records":null}""");
        await AssertSameAnswers("""{"invocationId":"i"}""");
    }

    [TestCase("null")]
    [TestCase("")]
    [TestCase("[]")]
    [TestCase("{")]
    [TestCase("{\"records\":[null]}")]
    [TestCase("{\"records\":{}}")]
    [TestCase("{\"records\":[{\"recordId\":5,\"data\":\"\"}]}")]
    [TestCase("{\"records\":[{\"recordId\":\"a\",\"data\":true}]}")]
    [TestCase("{\"records\":[{\"recordId\":\"\\ud800\",\"data\":\"\"}]}")]
    [TestCase("{\"region\":5,\"records\":[]}")]
    [TestCase("{\"invocationId\":{},\"records\":[]}")]
    [TestCase("{\"records\":[]} {}")]
    [TestCase("{\"records\":[{\"recordId\":\"a\" \"data\":\"\"}]}")]
    public async Task A_payload_the_old_contract_refused_still_fails_the_invocation(string payload)
    {
        var legacy = await HandlerRun.InvokeAsync(new LegacyTransformHandler(), payload);
        var streaming = await HandlerRun.InvokeAsync(new OrdersTransformHandler(), payload);

        legacy.Error.Should().NotBeNull();
        streaming.Error.Should().BeOfType<InvalidEventException>();
    }

    [Test]
    public async Task A_record_id_that_is_not_valid_utf8_still_fails_the_invocation()
    {
        var payload = Encoding.UTF8.GetBytes("""{"records":[{"recordId":"bad?","data":""}]}""");
        payload[Array.IndexOf(payload, (byte)'?')] = 0xC3;

        (await HandlerRun.InvokeAsync(new LegacyTransformHandler(), payload)).Error.Should().NotBeNull();
        (await HandlerRun.InvokeAsync(new OrdersTransformHandler(), payload)).Error.Should().BeOfType<InvalidEventException>();
    }

    /// <summary>
    /// Records whose base64 (in and out) has no '+' are written byte for byte as before, so the old and new budgets
    /// see the same sizes: at any limit both must cut at the same record and answer identically.
    /// </summary>
    [Test]
    public async Task At_any_limit_the_budget_cuts_exactly_where_it_did()
    {
        var eventJson = Encoding.UTF8.GetBytes(DirectPutEvent(PlusFreeRecords(40)));
        var full = await HandlerRun.InvokeAsync(new LegacyTransformHandler(), eventJson);
        var fullBytes = full.Response.Length;
        full.Parsed.Records.Select(r => r.Result).Distinct().Should().BeEquivalentTo(["Ok", "ProcessingFailed"]);

        foreach (var limit in new long[] { fullBytes + 100, fullBytes, fullBytes - 1, fullBytes * 2 / 3, fullBytes / 3, 3_000, 2_000, 100 })
        {
            var legacy = await HandlerRun.InvokeAsync(new LegacyTransformHandler(limit), eventJson);
            var streaming = await HandlerRun.InvokeAsync(new OrdersTransformHandler(limit), eventJson);

            streaming.Text.Should().Be(legacy.Text, $"limit {limit}");
            streaming.Summary.GetProperty("responseBytes").GetInt64().Should().Be(legacy.Summary.GetProperty("responseBytes").GetInt64());
            streaming.Summary.GetProperty("overResponseLimit").GetInt64().Should().Be(legacy.Summary.GetProperty("overResponseLimit").GetInt64());
            streaming.Logs.Any(l => l.GetProperty("message").GetString() == "Even minimal answers exceed the response limit")
                .Should().Be(legacy.Logs.Any(l => l.GetProperty("message").GetString() == "Even minimal answers exceed the response limit"));
        }
    }

    /// <summary>Valid, malformed and undecodable records whose base64 in and out has no '+'.</summary>
    private static IEnumerable<string> PlusFreeRecords(int count)
    {
        using var probe = new Pipelines.Orders.Transform.Domain.OrderLineTransform();
        var found = 0;
        for (var i = 0; found < count; i++)
        {
            var cdc = (i % 5) switch
            {
                3 => CdcWith("\"price\":19.99,", $"\"note\":\"{i}\","), // missing price: ProcessingFailed with the data
                _ => CdcWith("Kindle Paperwhite", $"Kindle {new string('é', i % 7)} {i} {new string('n', i * 37 % 400)}"),
            };
            var bytes = Encoding.UTF8.GetBytes(cdc);
            var result = probe.Transform(bytes);
            if (Convert.ToBase64String(bytes).Contains('+', StringComparison.Ordinal)) continue;
            if (result.IsOk && Convert.ToBase64String(result.Line.Span).Contains('+', StringComparison.Ordinal)) continue;
            found++;
            yield return Record($"\"4954698668313554428650745793632162567570019247115678{i:D4}\"", Base64Literal(bytes));
            if (found % 9 == 0) yield return Record($"\"bad-{i}\"", "\"not*base64!\"");
        }
    }

    [Test]
    public async Task The_response_bytes_are_the_contract_json_with_base64_written_from_bytes()
    {
        // Pinned wire format: '+' in base64 is written as is (the contract serializer escaped it as \u002B).
        var line = Encoding.UTF8.GetBytes(
            """{"orderid":"7f3c","product_name":"Kindle Paperwhite","quantity":2,"price":19.99,"cdc_event_type":"INSERT","creation_datetime":"2024-03-07T23:30:00Z","cdc_timestamp":"2024-03-07T23:30:01.000Z"}""" + "\n");
        var eventJson = DirectPutEvent([
            Record("\"id-<1>\"", Base64Literal(Cdc)),
            Record("\"id-2\"", Base64Literal(new byte[] { 0xFB, 0xFF })),
            Record("\"id-3\"", "\"%%%\""),
        ]);

        var run = await HandlerRun.InvokeAsync(new OrdersTransformHandler(), eventJson);

        run.Text.Should().Be(
            "{\"records\":[" +
            "{\"recordId\":\"id-\\u003C1\\u003E\",\"result\":\"Ok\",\"data\":\"" + Convert.ToBase64String(line) + "\"," +
            "\"metadata\":{\"partitionKeys\":{\"year\":\"2024\",\"month\":\"03\",\"day\":\"07\"}}}," +
            "{\"recordId\":\"id-2\",\"result\":\"ProcessingFailed\",\"data\":\"\\u002B/8=\"}," +
            "{\"recordId\":\"id-3\",\"result\":\"ProcessingFailed\",\"data\":\"\"}" +
            "]}");
    }
}

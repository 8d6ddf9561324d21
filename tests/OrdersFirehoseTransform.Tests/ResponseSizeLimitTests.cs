using System.Text;
using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Orders.Transform;
using Pipelines.Shared.Events;
using Pipelines.Shared.Observability;
using Pipelines.Shared.Runtime;

namespace Pipelines.Tests.OrdersFirehoseTransform;

/// <summary>Lambda refuses a response over 6 MB, which would make Firehose retry and then fail the whole batch.</summary>
public class ResponseSizeLimitTests
{
    private const int LambdaLimit = 6 * 1024 * 1024;
    private static readonly LambdaContext Context = new() { AwsRequestId = "r1" };

    /// <summary>A Firehose event of <paramref name="count"/> CDC records whose product names are <paramref name="nameLength"/> long.</summary>
    private static string Event(int count, int nameLength)
    {
        var name = new string('n', nameLength);
        var records = Enumerable.Range(0, count).Select(i =>
        {
            var cdc = $$"""{"orderid":"order-{{i}}","product_name":"{{name}}","quantity":1,"price":9.99,"creation_datetime":"2024-03-07T10:00:00Z","cdc_event_type":"INSERT","cdc_timestamp":"2024-03-07T10:00:01.000Z","cdc_sequence_number":"{{i}}","cdc_ttl_expired":false}""";
            return new FirehoseRecord
            {
                RecordId = $"49546986683135544286507457936321625675700192471156{i:D6}",
                ApproximateArrivalTimestamp = 1709805601000,
                Data = Convert.ToBase64String(Encoding.UTF8.GetBytes(cdc)),
            };
        }).ToList();
        var evt = new KinesisFirehoseEvent { InvocationId = "i", DeliveryStreamArn = "arn:aws:firehose:us-east-1:1:deliverystream/orders-to-s3", Region = "us-east-1", Records = records };
        return JsonSerializer.Serialize(evt, EventJsonContext.Default.KinesisFirehoseEvent);
    }

    private static async Task<(KinesisFirehoseResponse Response, int Bytes)> Invoke(string eventJson, long? limit = null)
    {
        var handler = limit is { } l ? new OrdersTransformHandler(l) : new OrdersTransformHandler();
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(eventJson));
        using var output = new MemoryStream();
        await handler.HandleAsync(input, output, Context, CancellationToken.None);
        return (JsonSerializer.Deserialize(output.ToArray(), EventJsonContext.Default.KinesisFirehoseResponse)!, (int)output.Length);
    }

    [Test]
    public async Task A_batch_just_under_the_limit_is_answered_in_full()
    {
        // 45 records with ~100 KB lines: ~5.9 MB of response (the input is about the same size).
        var (response, bytes) = await Invoke(Event(45, 100_000));

        response.Records.Should().HaveCount(45).And.OnlyContain(r => r.Result == "Ok");
        bytes.Should().BeGreaterThan(5_900_000).And.BeLessThanOrEqualTo(LambdaLimit);
    }

    [Test]
    public async Task Records_past_the_limit_are_answered_processing_failed_and_the_response_still_fits()
    {
        // 60 records with ~100 KB lines would need ~8 MB of response.
        var (response, bytes) = await Invoke(Event(60, 100_000));

        bytes.Should().BeLessThanOrEqualTo((int)OrdersTransformHandler.DefaultMaxResponseBytes);
        response.Records.Should().HaveCount(60);
        response.Records.Select(r => r.RecordId).Should().OnlyHaveUniqueItems();
        var ok = response.Records.TakeWhile(r => r.Result == "Ok").Count();
        ok.Should().BeInRange(40, 47, "every record that fits is transformed, in order");
        response.Records.Skip(ok).Should().OnlyContain(r => r.Result == "ProcessingFailed" && r.Data.Length == 0 && r.Metadata == null);
    }

    [Test]
    public async Task The_budget_is_exact_at_any_limit()
    {
        var eventJson = Event(20, 1_000);
        var (full, fullBytes) = await Invoke(eventJson);

        foreach (var limit in new[] { fullBytes, fullBytes - 1, fullBytes / 2, 3_000 })
        {
            var (response, bytes) = await Invoke(eventJson, limit);

            bytes.Should().BeLessThanOrEqualTo(limit);
            response.Records.Should().HaveCount(20);
            if (limit == fullBytes) response.Records.Should().BeEquivalentTo(full.Records, "exactly enough room means nothing is cut");
            else response.Records.Should().Contain(r => r.Result == "ProcessingFailed");
        }
    }

    [Test]
    public async Task A_failed_record_whose_original_data_does_not_fit_is_answered_without_it()
    {
        // Two malformed records of ~10 KB each: room for one echo only.
        var bad = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"orderid\":\"" + new string('x', 10_000) + "\"}"));
        var evt = $$"""{"records":[{"recordId":"a","data":"{{bad}}"},{"recordId":"b","data":"{{bad}}"}]}""";
        var (_, fullBytes) = await Invoke(evt);

        var (response, bytes) = await Invoke(evt, fullBytes - 1);

        bytes.Should().BeLessThanOrEqualTo(fullBytes - 1);
        response.Records.Select(r => r.Result).Should().Equal("ProcessingFailed", "ProcessingFailed");
        response.Records[0].Data.Should().Be(bad);
        response.Records[1].Data.Should().BeEmpty();
    }

    [Test]
    public async Task When_even_minimal_answers_do_not_fit_every_record_gets_one_and_the_error_is_logged()
    {
        var captured = new CapturedTelemetryOutput();
        KinesisFirehoseResponse response;
        using (TelemetryOutput.Use(captured))
            (response, _) = await Invoke(Event(20, 10), limit: 200);

        response.Records.Should().HaveCount(20).And.OnlyContain(r => r.Result == "ProcessingFailed" && r.Data.Length == 0);
        captured.Lines.Should().Contain(l => l.Contains("Even minimal answers exceed the response limit", StringComparison.Ordinal));
    }
}

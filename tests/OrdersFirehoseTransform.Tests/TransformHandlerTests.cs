using System.Text;
using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Orders.Transform;
using Pipelines.Shared.Events;
using Pipelines.Shared.Observability;
using Pipelines.Shared.Runtime;

namespace Pipelines.Tests.OrdersFirehoseTransform;

public class TransformHandlerTests
{
    private static readonly LambdaContext Context = new() { AwsRequestId = "r1", Deadline = DateTimeOffset.UtcNow.AddMinutes(5) };

    private static string Fixture(string name) =>
        File.ReadAllText(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", name));

    /// <summary>Runs the handler the way the runtime does: JSON payload in, JSON response bytes out.</summary>
    private static async Task<(KinesisFirehoseResponse Response, int Bytes)> InvokeRaw(string eventJson, OrdersTransformHandler? handler = null)
    {
        handler ??= new OrdersTransformHandler();
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(eventJson));
        using var output = new MemoryStream();
        await handler.HandleAsync(input, output, Context, CancellationToken.None);
        var bytes = output.ToArray();
        return (JsonSerializer.Deserialize(bytes, EventJsonContext.Default.KinesisFirehoseResponse)!, bytes.Length);
    }

    private static string Decode(string base64) => Encoding.UTF8.GetString(Convert.FromBase64String(base64));

    [Test]
    public async Task Answers_every_record_by_record_id_with_lines_and_partition_keys()
    {
        var (response, _) = await InvokeRaw(Fixture("firehose-orders-event.json"));

        response.Records.Select(r => r.RecordId).Should().Equal(
            "49546986683135544286507457936321625675700192471156785150",
            "49546986683135544286507457936321625675700192471156785151",
            "49546986683135544286507457936321625675700192471156785152",
            "49546986683135544286507457936321625675700192471156785160",
            "49546986683135544286507457936321625675700192471156785161");
        response.Records.Select(r => r.Result).Should().Equal("Ok", "Ok", "Ok", "ProcessingFailed", "ProcessingFailed");

        Decode(response.Records[0].Data).Should().Be(
            """{"orderid":"0f8fad5b-d9cb-469f-a165-70867728950e","product_name":"Kindle Paperwhite (16 GB)","quantity":2,"price":149.99,"cdc_event_type":"INSERT","creation_datetime":"2024-03-07T23:29:58Z","cdc_timestamp":"2024-03-07T23:30:00.000Z"}""" + "\n");
        Decode(response.Records[1].Data).Should().Contain("\"quantity\":3,\"price\":139.5,\"cdc_event_type\":\"MODIFY\"");
        Decode(response.Records[2].Data).Should().Contain("\"cdc_event_type\":\"REMOVE\"").And.NotContain("expires_at");

        response.Records[0].Metadata!.PartitionKeys.Should().Equal(new Dictionary<string, string> { ["year"] = "2024", ["month"] = "03", ["day"] = "07" });
        response.Records[2].Metadata!.PartitionKeys.Should().Equal(new Dictionary<string, string> { ["year"] = "2024", ["month"] = "03", ["day"] = "08" });
    }

    [Test]
    public async Task Every_data_field_in_the_response_is_valid_base64()
    {
        var (response, _) = await InvokeRaw(Fixture("firehose-orders-event.json"));

        response.Records.Select(r => Base64Data.TryDecode(r.Data, out var _)).Should().AllBeEquivalentTo(true);
    }

    [Test]
    public async Task Failed_records_keep_their_original_data_and_carry_no_partition_keys()
    {
        var input = JsonSerializer.Deserialize(Fixture("firehose-orders-event.json"), EventJsonContext.Default.KinesisFirehoseEvent)!;

        var (response, _) = await InvokeRaw(Fixture("firehose-orders-event.json"));

        response.Records[3].Data.Should().Be(input.Records[3].Data);
        response.Records[4].Data.Should().BeEmpty("echoing invalid base64 would make the whole response unreadable");
        response.Records[3].Metadata.Should().BeNull();
    }

    [Test]
    public async Task Aws_sample_event_with_non_json_data_is_answered_processing_failed()
    {
        var (response, _) = await InvokeRaw(Fixture("firehose-aws-sample.json"));

        response.Records.Should().ContainSingle();
        response.Records[0].RecordId.Should().Be("49546986683135544286507457936321625675700192471156785154");
        response.Records[0].Result.Should().Be("ProcessingFailed");
    }

    [Test]
    public async Task Response_json_uses_firehose_wire_names()
    {
        using var input = new MemoryStream(Encoding.UTF8.GetBytes(Fixture("firehose-orders-event.json")));
        using var output = new MemoryStream();

        await new OrdersTransformHandler().HandleAsync(input, output, Context, CancellationToken.None);

        using var doc = JsonDocument.Parse(output.ToArray());
        var first = doc.RootElement.GetProperty("records")[0];
        first.GetProperty("recordId").GetString().Should().NotBeEmpty();
        first.GetProperty("result").GetString().Should().Be("Ok");
        first.GetProperty("data").GetString().Should().NotBeEmpty();
        first.GetProperty("metadata").GetProperty("partitionKeys").GetProperty("year").GetString().Should().Be("2024");
    }

    [Test]
    public async Task Reports_received_ok_and_failed_metrics()
    {
        var captured = new CapturedTelemetryOutput();
        using (TelemetryOutput.Use(captured))
        {
            Metrics.Reset();
            await InvokeRaw(Fixture("firehose-orders-event.json"));
            Metrics.Flush();
        }

        var emf = captured.Lines.Select(l => JsonDocument.Parse(l).RootElement).Single(e => e.TryGetProperty("_aws", out _));
        emf.GetProperty("RecordsReceived").GetDouble().Should().Be(5);
        emf.GetProperty("RecordsOk").GetDouble().Should().Be(3);
        emf.GetProperty("RecordsFailed").GetDouble().Should().Be(2);
    }

    [Test]
    public async Task An_empty_batch_gets_an_empty_answer()
    {
        var (response, _) = await InvokeRaw("""{"invocationId":"i","deliveryStreamArn":"a","region":"us-east-1","records":[]}""");

        response.Records.Should().BeEmpty();
    }
}

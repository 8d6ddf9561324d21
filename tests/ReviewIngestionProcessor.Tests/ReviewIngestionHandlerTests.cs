using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Reviews;
using Pipelines.Shared.Configuration;
using Pipelines.Shared.Observability;
using Pipelines.Shared.Runtime;

namespace Pipelines.Tests.ReviewIngestionProcessor;

[NonParallelizable]
public class ReviewIngestionHandlerTests
{
    [Test]
    public async Task The_handler_reads_the_lambda_payload_and_answers_with_a_batch_response()
    {
        var harness = new ProcessorHarness();
        var payload = await File.ReadAllBytesAsync(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "reviews-batch.json"));
        using var input = new MemoryStream(payload);
        using var output = new MemoryStream();

        await harness.Handler.HandleAsync(input, output, new LambdaContext { AwsRequestId = "r1" }, CancellationToken.None);

        Encoding.UTF8.GetString(output.ToArray()).Should().Be("{\"batchItemFailures\":[]}");
        harness.Dynamo.Items.Should().HaveCount(3);
    }

    [Test]
    public async Task Metrics_count_received_written_duplicates_rejected_and_batch_item_failures()
    {
        var harness = new ProcessorHarness();
        harness.Dynamo.OnBatch = (_, keys) => keys.Where(k => k == "R2PLM5NB8VC3XZ");
        var captured = new CapturedTelemetryOutput();
        Metrics.Reset();
        using (TelemetryOutput.Use(captured))
        {
            await harness.Handler.InvokeAsync(KinesisEvents.Load("reviews-batch.json"), new LambdaContext { AwsRequestId = "r1" }, CancellationToken.None);
            Metrics.Flush();
        }

        var emf = captured.Lines.Select(l => JsonNode.Parse(l)!.AsObject()).Single(l => l.ContainsKey("_aws"));
        ((double)emf["RecordsReceived"]!).Should().Be(5);
        ((double)emf["RecordsWritten"]!).Should().Be(2);
        ((double)emf["Duplicates"]!).Should().Be(1);
        ((double)emf["RecordsRejected"]!).Should().Be(0, "the invalid review comes after the failed one: the retry rejects it");
        ((double)emf["RejectsDeferred"]!).Should().Be(1);
        ((double)emf["RecordsFailed"]!).Should().Be(1);
        ((double)emf["BatchItemFailures"]!).Should().Be(1);
        captured.Lines.Should().Contain(l => l.Contains("Review batch processed", StringComparison.Ordinal));
    }

    [Test]
    public async Task Near_the_deadline_it_stops_retrying_and_reports_instead_of_timing_out()
    {
        var harness = new ProcessorHarness();
        var batch = KinesisEvents.Load("reviews-batch.json");
        var context = new LambdaContext { AwsRequestId = "r1", Deadline = DateTimeOffset.UtcNow.AddSeconds(2) };

        var response = await harness.Handler.InvokeAsync(batch, context, CancellationToken.None);

        response.BatchItemFailures.Select(f => f.ItemIdentifier).Should().Equal(batch.Records[0].Kinesis.SequenceNumber);
        harness.Dynamo.Items.Should().BeEmpty();
    }

    [Test]
    public async Task Tunables_from_ssm_bound_the_attempts()
    {
        var harness = new ProcessorHarness();
        harness.TunableValues["sink_max_attempts"] = "2";
        harness.Dynamo.OnBatch = (_, _) => throw ScriptedDynamoDb.Throttled();

        var response = await harness.Handler.InvokeAsync(KinesisEvents.Load("reviews-batch.json"), new LambdaContext(), CancellationToken.None);

        response.BatchItemFailures.Should().ContainSingle();
        harness.Dynamo.BatchSizes.Should().HaveCount(2);
    }

    [Test]
    public async Task Startup_names_the_missing_environment_variable()
    {
        var saved = Environment.GetEnvironmentVariable("REVIEWS_TABLE");
        Environment.SetEnvironmentVariable("REVIEWS_TABLE", null);
        try
        {
            var act = () => FunctionStartup.CreateHandlerAsync(CancellationToken.None);

            (await act.Should().ThrowAsync<ConfigurationException>()).Which.SettingName.Should().Be("REVIEWS_TABLE");
        }
        finally
        {
            Environment.SetEnvironmentVariable("REVIEWS_TABLE", saved);
        }
    }

    [Test]
    public void The_response_uses_the_wire_names_lambda_expects()
    {
        var json = JsonSerializer.Serialize(
            Pipelines.Shared.Events.BatchResponse.Of(["123"]), Pipelines.Shared.Events.EventJsonContext.Default.BatchResponse);

        json.Should().Be("{\"batchItemFailures\":[{\"itemIdentifier\":\"123\"}]}");
    }
}

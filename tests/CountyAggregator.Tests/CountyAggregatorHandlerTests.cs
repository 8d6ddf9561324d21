using System.Text;
using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Counties;
using Pipelines.Shared.Configuration;
using Pipelines.Shared.Observability;
using Pipelines.Shared.Runtime;

namespace Pipelines.Tests.CountyAggregator;

[NonParallelizable]
public class CountyAggregatorHandlerTests
{
    [Test]
    public async Task The_handler_reads_the_lambda_payload_and_answers_with_a_batch_response()
    {
        var harness = new CountyHarness();
        var payload = await File.ReadAllBytesAsync(Path.Combine(TestContext.CurrentContext.TestDirectory, "Fixtures", "counties-batch.json"));
        using var input = new MemoryStream(payload);
        using var output = new MemoryStream();

        await harness.Handler.HandleAsync(input, output, new LambdaContext { AwsRequestId = "r1" }, CancellationToken.None);

        Encoding.UTF8.GetString(output.ToArray()).Should().Be("{\"batchItemFailures\":[]}");
        harness.Table.Items.Should().HaveCount(4);
    }

    [Test]
    public async Task Metrics_count_received_written_rejected_and_batch_item_failures()
    {
        var harness = new CountyHarness();
        var captured = new CapturedTelemetryOutput();
        Metrics.Reset();
        using (TelemetryOutput.Use(captured))
        {
            await harness.Handler.InvokeAsync(KinesisEvents.Load("counties-batch.json"), new LambdaContext { AwsRequestId = "r1" }, CancellationToken.None);
            Metrics.Flush();
        }

        var emf = captured.Lines.Select(l => JsonNode.Parse(l)!.AsObject()).Single(l => l.ContainsKey("_aws"));
        ((double)emf["RecordsReceived"]!).Should().Be(8);
        ((double)emf["RecordsWritten"]!).Should().Be(7);
        ((double)emf["RecordsRejected"]!).Should().Be(1);
        ((double)emf["CountItemsWritten"]!).Should().Be(4);
        ((double)emf["BatchItemFailures"]!).Should().Be(0);
    }

    [Test]
    public async Task Near_the_deadline_it_reports_the_batch_instead_of_timing_out()
    {
        var harness = new CountyHarness();
        var batch = KinesisEvents.Load("counties-batch.json");
        var context = new LambdaContext { AwsRequestId = "r1", Deadline = DateTimeOffset.UtcNow.AddSeconds(1) };

        var response = await harness.Handler.InvokeAsync(batch, context, CancellationToken.None);

        response.BatchItemFailures.Select(f => f.ItemIdentifier).Should().Equal(batch.Records[0].Kinesis.SequenceNumber);
        harness.Table.Items.Should().BeEmpty();
    }

    [Test]
    public async Task Startup_names_the_missing_environment_variable()
    {
        var saved = Environment.GetEnvironmentVariable("COUNTS_TABLE");
        Environment.SetEnvironmentVariable("COUNTS_TABLE", null);
        try
        {
            var act = () => FunctionStartup.CreateHandlerAsync(CancellationToken.None);

            (await act.Should().ThrowAsync<ConfigurationException>()).Which.SettingName.Should().Be("COUNTS_TABLE");
        }
        finally
        {
            Environment.SetEnvironmentVariable("COUNTS_TABLE", saved);
        }
    }
}

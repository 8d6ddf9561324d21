using FluentAssertions;
using NUnit.Framework;
using System.Text.Json;
using Pipelines.Shared.Events;

namespace Pipelines.Tests.Shared.Events;

[TestFixture]
public sealed class BatchResponseTests
{
    [Test]
    public void Published_samples_decode()
    {
        EventFixtures.Load("sqs-batch-response.json", EventJsonContext.Default.BatchResponse)
            .BatchItemFailures.Select(f => f.ItemIdentifier).Should().Equal("MessageID_1", "MessageID_2");
        EventFixtures.Load("dynamodb-batch-response.json", EventJsonContext.Default.BatchResponse)
            .BatchItemFailures.Single().ItemIdentifier.Should().Be("1405400000000002063282832");
    }

    [Test]
    public void Writes_the_exact_partial_batch_response_shape()
    {
        var json = JsonSerializer.Serialize(BatchResponse.Of(["4955", "4956"]), EventJsonContext.Default.BatchResponse);

        json.Should().Be("""{"batchItemFailures":[{"itemIdentifier":"4955"},{"itemIdentifier":"4956"}]}""");
    }

    [Test]
    public void An_empty_response_acknowledges_the_whole_batch()
    {
        JsonSerializer.Serialize(new BatchResponse(), EventJsonContext.Default.BatchResponse)
            .Should().Be("""{"batchItemFailures":[]}""");
    }
}

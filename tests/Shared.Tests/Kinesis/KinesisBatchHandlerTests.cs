using System.Text;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Shared.Events;
using Pipelines.Shared.Kinesis;
using Pipelines.Shared.Runtime;
using Pipelines.Shared.Sinks;
using Pipelines.Tests.Shared.Events;

namespace Pipelines.Tests.Shared.Kinesis;

[TestFixture]
public sealed class KinesisBatchHandlerTests
{
    /// <summary>Reports every record whose payload does not start with "Hello", the way a function reports what it could not store.</summary>
    private sealed class FailNonHello : KinesisBatchHandler
    {
        public List<RejectedRecord> Seen { get; } = [];

        protected override Task<BatchResponse> HandleAsync(KinesisBatch batch, ILambdaContext context, CancellationToken cancellationToken)
        {
            var failed = new List<string>();
            for (var i = 0; i < batch.Count; i++)
            {
                Seen.Add(KinesisRejects.For("seen", batch, i));
                PooledPayload.TryDecode(batch.Data(i), out var payload);
                using (payload)
                {
                    if (!Encoding.UTF8.GetString(payload.Span).StartsWith("Hello", StringComparison.Ordinal)) failed.Add(batch[i].SequenceNumber);
                }
            }
            return Task.FromResult(BatchResponse.Of(failed));
        }
    }

    [Test]
    public async Task Answers_the_payload_with_the_partial_batch_response()
    {
        var handler = new FailNonHello();
        var payload = File.ReadAllBytes(EventFixtures.Path("kinesis-event-lambda-docs.json"));
        using var input = new MemoryStream(payload, 0, payload.Length, writable: false, publiclyVisible: true);
        using var output = new MemoryStream();

        await handler.HandleAsync(input, output, new LambdaContext(), CancellationToken.None);

        Encoding.UTF8.GetString(output.ToArray()).Should().Be(
            """{"batchItemFailures":[{"itemIdentifier":"49590338271490256608559692540925702759324208523137515618"}]}""");
        handler.Seen.Select(r => Encoding.UTF8.GetString(r.Data.Span)).Should().Equal("Hello, this is a test.", "This is only a test.");
        handler.Seen[0].ShardId.Should().Be("shardId-000000000006");
    }

    [Test]
    public async Task Reads_a_payload_stream_that_is_not_a_memory_stream()
    {
        var handler = new FailNonHello();
        await using var input = new BufferedStream(new MemoryStream(File.ReadAllBytes(EventFixtures.Path("kinesis-event.json"))));
        using var output = new MemoryStream();

        await handler.HandleAsync(input, output, new LambdaContext(), CancellationToken.None);

        handler.Seen.Should().HaveCount(2);
    }

    [Test]
    public async Task A_payload_that_is_not_a_kinesis_event_fails_the_invocation_with_invalid_event()
    {
        using var input = new MemoryStream("""{"Records":"nope"}"""u8.ToArray());

        var invoke = () => new FailNonHello().HandleAsync(input, Stream.Null, new LambdaContext(), CancellationToken.None);

        await invoke.Should().ThrowAsync<InvalidEventException>();
    }

    [Test]
    public void A_rejected_record_keeps_the_wire_text_when_its_base64_is_broken()
    {
        using var batch = KinesisBatch.Parse("""{"Records":[{"eventID":"shardId-1:5","kinesis":{"sequenceNumber":"5","data":"not base64!"}}]}"""u8);

        var rejected = KinesisRejects.For("invalid base64", batch, 0);

        Encoding.UTF8.GetString(rejected.Data.Span).Should().Be("not base64!");
        rejected.SourceId.Should().Be("5");
        rejected.ShardId.Should().Be("shardId-1");
    }
}

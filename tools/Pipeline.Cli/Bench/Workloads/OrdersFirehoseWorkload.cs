using System.Text.Json;
using Pipelines.Cli.Bench.Generators;
using Pipelines.Cli.Bench.Profiling;
using Pipelines.LocalCloud.Firehose;
using Pipelines.Orders.Cdc.Domain;
using Pipelines.Orders.Transform;
using Pipelines.Orders.Transform.Domain;
using Pipelines.Orders.Transform.Firehose;
using Pipelines.Shared.Events;
using Pipelines.Shared.Runtime;

namespace Pipelines.Cli.Bench.Workloads;

/// <summary>
/// orders-firehose-transform: Firehose transformation events of ~1 MB of CDC records (the delivery stream's processor
/// buffer), the records being what orders-cdc-publisher itself builds -> the response with every record answered.
/// </summary>
internal sealed class OrdersFirehoseWorkload : FunctionWorkload
{
    private const int BufferBytes = 1024 * 1024;

    public OrdersFirehoseWorkload(BenchTopology topology, BenchOptions options)
        : base(topology.Function("orders-firehose-transform"))
    {
        Handler = new OrdersTransformHandler();
        var pipeline = topology.Document.Pipeline(Spec.Pipeline);
        var firehose = pipeline.Firehoses[Spec.Source.Firehose!];
        var sourceArn = Pipelines.LocalCloud.EventSources.KinesisEventJson.StreamArn(pipeline.Streams[firehose.SourceStream].Name);
        var random = new Random(3005);
        var stream = new OrderStreamEvents(pipeline.Tables["orders"].Name);
        var arrival = new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
        var sequence = 0L;
        var batches = options.Batches(10);
        var records = new List<FirehoseSourceRecord>();
        long bufferedBytes = 0;
        while (Events.Count < batches)
        {
            // CDC records exactly as the publisher shapes them, from generated stream records.
            var streamEvent = JsonSerializer.Deserialize(stream.Build(random, 100), EventJsonContext.Default.DynamoDBEvent)!;
            foreach (var change in streamEvent.Records)
            {
                var cdc = CdcRecordBuilder.Build(change);
                if (!cdc.IsOk) continue;
                arrival = arrival.AddMilliseconds(2);
                sequence++;
                var sequenceNumber = $"49546986683135544286507457936321625675700192471{sequence:D9}";
                records.Add(new FirehoseSourceRecord(sequenceNumber, "shardId-000000000000", cdc.OrderId!, sequenceNumber, arrival, cdc.Json!));
                bufferedBytes += cdc.Json!.Length;
                var full = options.RecordsPerBatch is { } n ? records.Count >= n : bufferedBytes >= BufferBytes;
                if (!full) continue;
                Events.Add(JsonSerializer.SerializeToUtf8Bytes(
                    FirehoseEventJson.Event(firehose.Name, sourceArn, $"bench-{Events.Count:D4}", records)));
                RecordsPerRun += records.Count;
                records.Clear();
                bufferedBytes = 0;
                if (Events.Count == batches) break;
            }
        }
        BatchDescription = $"~{Format.Count(RecordsPerRun / Events.Count)} CDC records (~1 MB) per event";
    }

    public override ThroughputTarget Target { get; } = new(300_000);

    public override string BatchDescription { get; }

    public override IStreamHandler Handler { get; }

    public override IReadOnlyList<ProfileStage> ProfileStages()
    {
        // Inputs for each stage, prepared the way the handler's previous stage leaves them.
        var recordIds = new List<byte[]>();
        var base64 = new List<byte[]>();
        var decoded = new List<byte[]>();
        var lines = new List<(byte[] Line, OrderPartition Partition)>();
        var perEvent = new List<int>();
        using (var transform = new OrderLineTransform())
        {
            foreach (var e in Events)
            {
                using var batch = FirehoseEventReader.Read(e);
                perEvent.Add(batch.Count);
                for (var i = 0; i < batch.Count; i++)
                {
                    recordIds.Add(batch.RecordId(i).ToArray());
                    base64.Add(batch.Data(i).ToArray());
                    var bytes = new byte[Base64Text.MaxDecodedLength(batch.Data(i).Length)];
                    Base64Text.TryDecode(batch.Data(i), bytes, out var length);
                    decoded.Add(bytes[..length]);
                    var result = transform.Transform(bytes.AsSpan(0, length));
                    lines.Add((result.Line.ToArray(), result.Partition));
                }
            }
        }
        var scratch = new byte[base64.Max(b => b.Length)];
        var sink = new MemoryStream();
        return
        [
            new("event JSON -> FirehoseBatch (one Utf8JsonReader pass)", () =>
            {
                foreach (var e in Events) FirehoseEventReader.Read(e).Dispose();
            }),
            new("base64 decode into a reused buffer", () =>
            {
                foreach (var b in base64) Base64Text.TryDecode(b, scratch, out _);
            }),
            new("OrderLineTransform.Transform", () =>
            {
                using var transform = new OrderLineTransform();
                foreach (var d in decoded) transform.Transform(d);
            }),
            new("answers sized and written (Utf8JsonWriter, base64 from bytes)", () =>
            {
                var next = 0;
                foreach (var count in perEvent)
                {
                    sink.SetLength(0);
                    using var writer = new FirehoseResponseWriter(sink);
                    writer.WriteStart();
                    var budget = new ResponseBudget(OrdersTransformHandler.DefaultMaxResponseBytes, count);
                    for (var i = next; i < next + count; i++)
                        budget.Reserve(FirehoseAnswerSize.ProcessingFailed(FirehoseAnswerSize.JsonString(recordIds[i]), 0));
                    for (var i = next; i < next + count; i++)
                    {
                        var idLength = FirehoseAnswerSize.JsonString(recordIds[i]);
                        budget.TryUpgrade(FirehoseAnswerSize.ProcessingFailed(idLength, 0), FirehoseAnswerSize.Ok(idLength, lines[i].Line.Length));
                        writer.WriteOk(recordIds[i], lines[i].Line, lines[i].Partition);
                    }
                    writer.WriteEnd();
                    writer.FlushAsync(CancellationToken.None).GetAwaiter().GetResult();
                    next += count;
                }
            }),
        ];
    }

    public override void ResetSinks()
    {
    }

    public override string? Verify(IReadOnlyList<byte[]> responses)
    {
        var answered = 0;
        foreach (var response in responses)
        {
            var parsed = JsonSerializer.Deserialize(response, EventJsonContext.Default.KinesisFirehoseResponse)!;
            var notOk = parsed.Records.FirstOrDefault(r => r.Result != FirehoseResponseRecord.Ok);
            if (notOk is not null) return $"record {notOk.RecordId} answered {notOk.Result}";
            answered += parsed.Records.Count;
        }
        return answered == RecordsPerRun ? null : $"{answered} records answered, expected {RecordsPerRun}";
    }
}

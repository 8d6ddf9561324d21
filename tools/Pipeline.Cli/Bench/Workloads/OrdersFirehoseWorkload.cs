using System.Buffers;
using System.Text.Json;
using Pipelines.Cli.Bench.Generators;
using Pipelines.Cli.Bench.Profiling;
using Pipelines.LocalCloud.Firehose;
using Pipelines.Orders.Cdc.Domain;
using Pipelines.Orders.Transform;
using Pipelines.Orders.Transform.Domain;
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
        var events = Events.Select(e => JsonSerializer.Deserialize(e, EventJsonContext.Default.KinesisFirehoseEvent)!).ToList();
        var records = events.SelectMany(e => e.Records).ToList();
        var data = records.Select(r => Convert.FromBase64String(r.Data)).ToList();
        var responses = events.Select(e => new KinesisFirehoseResponse
        {
            Records = [.. e.Records.Select(r => new FirehoseResponseRecord
            {
                RecordId = r.RecordId,
                Result = FirehoseResponseRecord.Ok,
                Data = r.Data,
                Metadata = new FirehoseResponseMetadata { PartitionKeys = new() { ["year"] = "2024", ["month"] = "05", ["day"] = "01" } },
            })],
        }).ToList();
        var sink = new MemoryStream();
        return
        [
            new("event JSON -> KinesisFirehoseEvent objects", () =>
            {
                foreach (var e in Events) JsonSerializer.Deserialize(e, EventJsonContext.Default.KinesisFirehoseEvent);
            }),
            new("base64 decode into a pooled buffer", () =>
            {
                foreach (var r in records)
                {
                    var rented = ArrayPool<byte>.Shared.Rent(r.Data.Length);
                    Convert.TryFromBase64String(r.Data, rented, out _);
                    ArrayPool<byte>.Shared.Return(rented);
                }
            }),
            new("OrderLineTransform.Transform", () =>
            {
                foreach (var d in data) OrderLineTransform.Transform(d);
            }),
            new("response objects -> JSON (base64 data)", () =>
            {
                foreach (var r in responses)
                {
                    sink.SetLength(0);
                    JsonSerializer.Serialize(sink, r, EventJsonContext.Default.KinesisFirehoseResponse);
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

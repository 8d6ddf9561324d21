using Pipelines.Cli.Bench.Generators;
using Pipelines.Cli.Bench.Profiling;
using Pipelines.Cli.Bench.Sinks;
using Pipelines.Orders.Cdc;
using Pipelines.Orders.Cdc.Decoding;
using Pipelines.Orders.Cdc.Domain;
using Pipelines.Orders.Cdc.Publishing;
using Pipelines.Shared.Runtime;
using Pipelines.Shared.Sinks;

namespace Pipelines.Cli.Bench.Workloads;

/// <summary>orders-cdc-publisher: DynamoDB stream batches of 100 order changes -> signed PutRecords bodies.</summary>
internal sealed class OrdersCdcWorkload : FunctionWorkload
{
    private readonly InMemoryKinesisSink _kinesis;
    private readonly InMemoryS3 _s3 = new();
    private readonly InMemoryKinesisSink _profileSink = new("profile");

    public OrdersCdcWorkload(BenchTopology topology, BenchOptions options)
        : base(topology.Function("orders-cdc-publisher"))
    {
        var env = topology.Environment(Spec);
        _kinesis = new InMemoryKinesisSink(env["SALES_STREAM_NAME"]);
        Handler = new CdcPublisherHandler(
            _kinesis,
            new S3RejectedRecordSink(new RejectedRecordsWriter(_s3, env["REJECTED_BUCKET"], env["REJECTED_PREFIX"])),
            BenchTopology.Tunables(Spec));

        var random = new Random(3004);
        var table = topology.Document.Pipeline(Spec.Pipeline).Tables[Spec.Source.Table!].Name;
        var stream = new OrderStreamEvents(table);
        var batchSize = options.BatchSize(Spec.Source.BatchSize);
        for (var b = 0; b < options.Batches(200); b++)
        {
            Events.Add(stream.Build(random, batchSize));
            RecordsPerRun += batchSize;
        }
        BatchDescription = $"{Format.Count(batchSize)} stream records of ~{Format.Count(EventBytesPerRun / Math.Max(1, RecordsPerRun))} B";

        // The figure is the byte-level path's: records handed to the object-model fallback would make it another one.
        foreach (var e in Events)
        {
            using var batch = Decode(e);
            if (batch.TranscodedCount != batch.Count)
                throw new InvalidOperationException($"{batch.Count - batch.TranscodedCount} of {batch.Count} generated stream records were not transcoded from the event bytes");
        }
    }

    public override ThroughputTarget Target { get; } = new(200_000);

    public override string BatchDescription { get; }

    public override IStreamHandler Handler { get; }

    public override IReadOnlyList<ProfileStage> ProfileStages()
    {
        var outgoing = new List<OutgoingRecord>();
        foreach (var e in Events)
        {
            using var batch = Decode(e);
            for (var i = 0; i < batch.Count; i++)
            {
                // Copied: the batch's pooled memory goes back when it is disposed.
                if (batch.Build(i) is { IsOk: true } b) outgoing.Add(new OutgoingRecord(outgoing.Count, SalesPartitionKey.For(b.OrderId!), b.Json.ToArray()));
            }
        }
        var calls = outgoing.Chunk(Math.Min(500, Spec.Source.BatchSize)).ToList();
        return
        [
            new("event JSON -> CDC records (StreamBatch: Utf8JsonReader -> Utf8JsonWriter)", () =>
            {
                foreach (var e in Events) Decode(e).Dispose();
            }),
            new("PutRecords body + SigV4 (what KinesisClient does)", () =>
            {
                foreach (var call in calls) _profileSink.PutAsync(call, CancellationToken.None).GetAwaiter().GetResult();
            }),
        ];
    }

    /// <summary>What the handler does with the invocation's bytes before publishing (completes synchronously).</summary>
    private static StreamBatch Decode(byte[] payload)
    {
        using var input = new MemoryStream(payload, 0, payload.Length, writable: false, publiclyVisible: true);
        using var bytes = InvocationPayload.ReadAsync(input, CancellationToken.None).GetAwaiter().GetResult();
        return StreamBatch.DecodeAsync(bytes, CancellationToken.None).GetAwaiter().GetResult();
    }

    public override void ResetSinks()
    {
        _kinesis.Reset();
        _s3.Reset();
    }

    public override string? Verify(IReadOnlyList<byte[]> responses)
    {
        if (FirstBatchItemFailure(responses) is { } failure) return failure;
        if (_s3.PutCalls != 0) return $"{_s3.PutCalls} rejects objects written for valid stream records";
        return _kinesis.EntriesPut == RecordsPerRun ? null : $"{_kinesis.EntriesPut} records put, expected {RecordsPerRun}";
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _kinesis.Dispose();
            _profileSink.Dispose();
            _s3.Dispose();
        }
        base.Dispose(disposing);
    }
}

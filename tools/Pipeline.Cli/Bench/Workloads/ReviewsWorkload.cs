using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using Pipelines.Cli.Bench.Generators;
using Pipelines.Cli.Bench.Profiling;
using Pipelines.Cli.Bench.Sinks;
using Pipelines.Reviews;
using Pipelines.Reviews.Domain;
using Pipelines.Reviews.Rejects;
using Pipelines.Reviews.Storage;
using Pipelines.Shared.Events;
using Pipelines.Shared.Kinesis;
using Pipelines.Shared.Observability;
using Pipelines.Shared.Runtime;
using Pipelines.Shared.Sinks;

namespace Pipelines.Cli.Bench.Workloads;

/// <summary>review-ingestion-processor: Kinesis batches of 1,000 reviews of ~600 B -> BatchWriteItem requests (+ a rejects object).</summary>
internal sealed class ReviewsWorkload : FunctionWorkload
{
    private const int InvalidPerMille = 10;
    private readonly InMemoryDynamoDb _dynamo;
    private readonly InMemoryS3 _s3 = new();
    private readonly string _table;
    private readonly int _validPerRun;
    private readonly int _batchesWithRejects;

    public ReviewsWorkload(BenchTopology topology, BenchOptions options)
        : base(topology.Function("review-ingestion-processor"))
    {
        var env = topology.Environment(Spec);
        _table = env["REVIEWS_TABLE"];
        _dynamo = topology.DynamoFor(Spec);
        Handler = new ReviewIngestionHandler(
            new ReviewBatchProcessor(
                new DynamoReviewStore(_dynamo, _table),
                new S3RejectSink(new RejectedRecordsWriter(_s3, env["REJECTED_BUCKET"], env["REJECTED_PREFIX"]))),
            BenchTopology.Tunables(Spec));

        var random = new Random(3001);
        var builder = new KinesisEventBuilder("amazon-review-ingestion-stream", Name);
        var batchSize = options.BatchSize(1000);
        var nextId = 1;
        long payloadBytes = 0;
        for (var b = 0; b < options.Batches(20); b++)
        {
            var records = ReviewPayloads.Generate(random, batchSize, InvalidPerMille / 1000.0, ref nextId);
            Events.Add(builder.Build(records.Select(r => (r.Data, r.PartitionKey)).ToList()));
            _validPerRun += records.Count(r => r.Valid);
            if (records.Any(r => !r.Valid)) _batchesWithRejects++;
            RecordsPerRun += records.Count;
            payloadBytes += records.Sum(r => (long)r.Data.Length);
        }
        BatchDescription = $"{Format.Count(batchSize)} reviews of ~{Format.Count(payloadBytes / Math.Max(1, RecordsPerRun))} B";
    }

    public override ThroughputTarget Target { get; } = new(250_000, 2048);

    public override string BatchDescription { get; }

    public override IStreamHandler Handler { get; }

    public override IReadOnlyList<ProfileStage> ProfileStages()
    {
        var records = Events.SelectMany(e => JsonSerializer.Deserialize(e, EventJsonContext.Default.KinesisEvent)!.Records).ToList();
        var sources = records.Select(r => new SourceRecord(r.Kinesis.SequenceNumber, SourceRecord.ShardIdFromEventId(r.EventId),
            r.Kinesis.PartitionKey, SourceRecord.ArrivalFromEpochSeconds(r.Kinesis.ApproximateArrivalTimestamp))).ToList();
        var payloads = records.Select(r => (ReadOnlyMemory<byte>)Convert.FromBase64String(r.Kinesis.Data)).ToList();
        var items = payloads.Select((p, i) => ReviewParser.Parse(p, sources[i]).Item).OfType<ReviewItem>().ToList();
        return
        [
            new("event JSON -> KinesisEvent objects", () =>
            {
                foreach (var e in Events) JsonSerializer.Deserialize(e, EventJsonContext.Default.KinesisEvent);
            }),
            new("base64 decode + UTF-8 check (PooledPayload)", () =>
            {
                foreach (var r in records)
                {
                    PooledPayload.TryDecode(r.Kinesis.Data, out var payload);
                    payload.Dispose();
                }
            }),
            new("ReviewParser.Parse (JsonDocument -> ItemValue list)", () =>
            {
                for (var i = 0; i < payloads.Count; i++) ReviewParser.Parse(payloads[i], sources[i]);
            }),
            new("AttributeValues.ToItem + WriteRequest (SDK objects)", () =>
            {
                foreach (var item in items) _ = new WriteRequest { PutRequest = new PutRequest { Item = AttributeValues.ToItem(item) } };
            }),
        ];
    }

    public override void ResetSinks()
    {
        _dynamo.Reset();
        _s3.Reset();
    }

    public override string? Verify(IReadOnlyList<byte[]> responses)
    {
        if (FirstBatchItemFailure(responses) is { } failure) return failure;
        var stored = _dynamo.Items(_table).Count;
        if (stored != _validPerRun) return $"{stored} reviews stored, expected {_validPerRun}";
        if (_s3.PutCalls != _batchesWithRejects) return $"{_s3.PutCalls} rejects objects written, expected {_batchesWithRejects}";
        return null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _dynamo.Dispose();
            _s3.Dispose();
        }
        base.Dispose(disposing);
    }
}

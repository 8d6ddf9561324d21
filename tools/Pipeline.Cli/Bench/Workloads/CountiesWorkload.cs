using System.Globalization;
using System.Text.Json;
using Pipelines.Cli.Bench.Generators;
using Pipelines.Cli.Bench.Profiling;
using Pipelines.Cli.Bench.Sinks;
using Pipelines.Counties;
using Pipelines.Counties.Domain;
using Pipelines.Counties.Rejects;
using Pipelines.Counties.Storage;
using Pipelines.Shared.Events;
using Pipelines.Shared.Kinesis;
using Pipelines.Shared.Runtime;
using Pipelines.Shared.Sinks;

namespace Pipelines.Cli.Bench.Workloads;

/// <summary>county-aggregator: Kinesis batches of 100 CSV rows as JSON -> one count item per county per batch.</summary>
internal sealed class CountiesWorkload : FunctionWorkload
{
    private readonly InMemoryDynamoDb _dynamo;
    private readonly InMemoryS3 _s3 = new();
    private readonly string _table;
    private readonly int _validPerRun;

    public CountiesWorkload(BenchTopology topology, BenchOptions options)
        : base(topology.Function("county-aggregator"))
    {
        var env = topology.Environment(Spec);
        _table = env["COUNTS_TABLE"];
        _dynamo = topology.DynamoFor(Spec);
        Handler = new CountyAggregatorHandler(
            new CountyBatchProcessor(
                new DynamoCountStore(_dynamo, _table),
                new S3RejectSink(new RejectedRecordsWriter(_s3, env["REJECTED_BUCKET"], env["REJECTED_PREFIX"]))),
            BenchTopology.Tunables(Spec));

        var random = new Random(3003);
        var builder = new KinesisEventBuilder("county-ingestion-stream", Name);
        var batchSize = options.BatchSize(Spec.Source.BatchSize);
        long payloadBytes = 0;
        for (var b = 0; b < options.Batches(200); b++)
        {
            var rows = CountyRowPayloads.Generate(random, batchSize, missingCountyShare: 0.01);
            Events.Add(builder.Build(rows.Select(r => (r.Data, r.PartitionKey)).ToList()));
            _validPerRun += rows.Count(r => r.Valid);
            RecordsPerRun += rows.Count;
            payloadBytes += rows.Sum(r => (long)r.Data.Length);
        }
        BatchDescription = $"{Format.Count(batchSize)} rows of ~{Format.Count(payloadBytes / Math.Max(1, RecordsPerRun))} B";
    }

    public override ThroughputTarget Target { get; } = new(1_000_000);

    public override string BatchDescription { get; }

    public override IStreamHandler Handler { get; }

    public override IReadOnlyList<ProfileStage> ProfileStages()
    {
        var records = Events.SelectMany(e => JsonSerializer.Deserialize(e, EventJsonContext.Default.KinesisEvent)!.Records).ToList();
        var payloads = records.Select(r => Convert.FromBase64String(r.Kinesis.Data)).ToList();
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
            new("CountyRowParser.Parse", () =>
            {
                foreach (var p in payloads) CountyRowParser.Parse(p);
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
        var counted = _dynamo.Items(_table).Sum(i => long.Parse(i["Count"].N, CultureInfo.InvariantCulture));
        return counted == _validPerRun ? null : $"count items sum to {counted}, expected {_validPerRun}";
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

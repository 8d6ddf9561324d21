using System.Globalization;
using Pipelines.Cli.Bench.Generators;
using Pipelines.Cli.Bench.Profiling;
using Pipelines.Cli.Bench.Sinks;
using Pipelines.Counties;
using Pipelines.Counties.Domain;
using Pipelines.Counties.Rejects;
using Pipelines.Counties.Storage;
using Pipelines.Shared.Kinesis;
using Pipelines.Shared.Resilience;
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
        var batches = Events.Select(e => KinesisBatch.Parse(e)).ToList();
        var payloads = batches.Select(b => Enumerable.Range(0, b.Count).Select(i => Convert.FromBase64String(b.DataText(i))).ToList()).ToList();
        // Per batch, its valid rows' lineage and county bytes, as the counter receives them.
        var rows = batches.Select((b, n) => Enumerable.Range(0, b.Count)
            .Select(i => (b[i].Source, County: CountyOf(payloads[n][i])))
            .Where(r => r.County is not null)
            .Select(r => (r.Source, County: r.County!))
            .ToList()).ToList();
        var counter = new CountyBatchCounter();
        var counts = rows.Select(batch => CountyCounts(counter, batch)).ToList();
        var store = new DynamoCountStore(_dynamo, _table);
        return
        [
            new("event JSON -> KinesisBatch", () =>
            {
                foreach (var e in Events) KinesisBatch.Parse(e).Dispose();
            }),
            new("base64 decode + UTF-8 check (PooledPayload)", () =>
            {
                foreach (var b in batches)
                {
                    for (var i = 0; i < b.Count; i++)
                    {
                        PooledPayload.TryDecode(b.Data(i), out var payload);
                        payload.Dispose();
                    }
                }
            }),
            new("CountyRowParser.Parse", () =>
            {
                foreach (var batch in payloads)
                {
                    foreach (var p in batch) CountyRowParser.Parse(p);
                }
            }),
            new("CountyBatchCounter (per-county tally + items)", () =>
            {
                foreach (var batch in rows)
                {
                    for (var i = 0; i < batch.Count; i++) counter.Add(batch[i].Source.ShardId, i, batch[i].County);
                    counter.Counts(i => batch[i].Source);
                    counter.Clear();
                }
            }),
            new("DynamoCountStore.WriteAsync (items -> BatchWriteItem requests)", () =>
            {
                // The in-memory table completes synchronously; the same keys are overwritten on every pass.
                foreach (var batch in counts) store.WriteAsync(batch, RetryOptions.Default, CancellationToken.None).GetAwaiter().GetResult();
            }),
        ];
    }

    private static List<CountyBatchCount> CountyCounts(CountyBatchCounter counter, List<(SourceRecord Source, byte[] County)> rows)
    {
        for (var i = 0; i < rows.Count; i++) counter.Add(rows[i].Source.ShardId, i, rows[i].County);
        var counts = counter.Counts(i => rows[i].Source);
        counter.Clear();
        return counts;
    }

    private static byte[]? CountyOf(byte[] payload)
    {
        var parsed = CountyRowParser.Parse(payload);
        return parsed.IsAccepted ? parsed.County.ToArray() : null;
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

using Pipelines.Cli.Bench.Generators;
using Pipelines.Cli.Bench.Profiling;
using Pipelines.Cli.Bench.Sinks;
using Pipelines.Events;
using Pipelines.Events.Aws;
using Pipelines.Events.Domain;
using Pipelines.Shared.Aws;
using Pipelines.Shared.Kinesis;
using Pipelines.Shared.Runtime;
using Pipelines.Shared.Sinks;
using Pipelines.Shared.Buffers;

namespace Pipelines.Cli.Bench.Workloads;

/// <summary>
/// event-archiver: Kinesis batches of app events (the topology's batch size) (2% re-sent duplicates, 0.5% not JSON) -> claims as PartiQL
/// INSERTs in BatchExecuteStatement calls (a duplicate's refusal comes without the item, so its holder is read back),
/// placement BatchWriteItems and one ndjson object per (kind, type, date) group.
/// </summary>
internal sealed class EventsWorkload : FunctionWorkload
{
    private readonly InMemoryDynamoDb _dynamo;
    private readonly HttpClient _dynamoHttp;
    private readonly InMemoryS3 _s3 = new();
    private readonly string _bucket;
    private readonly string _dedupTable;
    private readonly string _rejectedPrefix;
    private readonly int _validPerRun;

    public EventsWorkload(BenchTopology topology, BenchOptions options)
        : base(topology.Function("event-archiver"))
    {
        var env = topology.Environment(Spec);
        _bucket = env["EVENTS_BUCKET"];
        _rejectedPrefix = env["REJECTED_PREFIX"];
        _dedupTable = env["DEDUP_TABLE"];
        _dynamo = topology.DynamoFor(Spec);
        // Claims, holder reads and placements arrive as the signed JSON bodies the function builds; the duplicate
        // lookup goes through the SDK client; both see the same in-memory tables.
        var hashKeys = topology.Document.Pipeline(Spec.Pipeline).Tables.Values.ToDictionary(t => t.Name, t => t.HashKey, StringComparer.Ordinal);
        _dynamoHttp = new HttpClient(new InMemoryDynamoDbJsonEndpoint(_dynamo, hashKeys));
        var dynamoDb = AwsClientOptions.Create(
            AwsService.DynamoDb, new Uri("https://dynamodb.us-east-1.amazonaws.com/"), "us-east-1", new AwsCredentials("bench", "bench"));
        Handler = new EventArchiverHandler(
            DynamoDbClaimStore.Create(dynamoDb, _dynamo, _dedupTable, _dynamoHttp),
            new S3ArchiveStore(_s3, _bucket),
            new S3RejectSink(new RejectedRecordsWriter(_s3, env["REJECTED_BUCKET"], _rejectedPrefix)),
            BenchTopology.Tunables(Spec),
            TimeProvider.System);

        var random = new Random(3002);
        var builder = new KinesisEventBuilder("event-ingestion-stream", Name);
        var batchSize = options.BatchSize(Spec.Source.BatchSize);
        var recent = new List<byte[]>();
        long payloadBytes = 0;
        for (var b = 0; b < options.Batches(20); b++)
        {
            var generated = EventPayloads.Generate(random, batchSize, duplicateShare: 0.02, invalidShare: 0.005, recent);
            Events.Add(builder.Build(generated.Records));
            _validPerRun += generated.Valid;
            RecordsPerRun += generated.Records.Count;
            payloadBytes += generated.Records.Sum(r => (long)r.Data.Length);
        }
        BatchDescription = $"{Format.Count(batchSize)} events of ~{Format.Count(payloadBytes / Math.Max(1, RecordsPerRun))} B, 2% duplicates";
    }

    public override ThroughputTarget Target { get; } = new(300_000);

    public override string BatchDescription { get; }

    public override IStreamHandler Handler { get; }

    public override IReadOnlyList<ProfileStage> ProfileStages()
    {
        var batches = Events.Select(e => KinesisBatch.Parse(e)).ToList();
        var payloads = batches
            .Select(b => Enumerable.Range(0, b.Count).Select(i => (ReadOnlyMemory<byte>)Convert.FromBase64String(b.DataText(i))).ToList())
            .ToList();
        return
        [
            new("event JSON -> KinesisBatch", () =>
            {
                foreach (var e in Events) KinesisBatch.Parse(e).Dispose();
            }),
            new("base64 decode (KinesisPayload)", () =>
            {
                foreach (var batch in batches)
                    for (var i = 0; i < batch.Count; i++)
                        if (KinesisPayload.TryDecode(batch.Data(i), out var rented, out _, out _)) KinesisPayload.Return(rented);
            }),
            new("EventParser.Parse (one pass: validate + archived line)", () =>
            {
                foreach (var batch in payloads)
                {
                    using var lines = new PooledByteArena(); // as the handler does: one arena per batch
                    foreach (var p in batch) EventParser.Parse(p, lines);
                }
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
        var archived = _s3.Objects.Where(o => o.Bucket == _bucket && !o.Key.StartsWith(_rejectedPrefix, StringComparison.Ordinal)).Sum(o => o.Lines);
        if (archived != _validPerRun) return $"{archived} events archived, expected {_validPerRun}";
        // Each archived record left its claim item (first occurrences) or duplicate item, with the object it went into.
        var items = _dynamo.Items(_dedupTable);
        var placed = items.Count(i => i.TryGetValue("object_key", out var key) && !string.IsNullOrEmpty(key.S));
        return items.Count == _validPerRun && placed == _validPerRun
            ? null
            : $"the dedup table holds {items.Count} items ({placed} with an object_key), expected {_validPerRun}";
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _dynamoHttp.Dispose();
            _dynamo.Dispose();
            _s3.Dispose();
        }
        base.Dispose(disposing);
    }
}

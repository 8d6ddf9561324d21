using System.Text.Json;
using Pipelines.Cli.Bench.Generators;
using Pipelines.Cli.Bench.Profiling;
using Pipelines.Cli.Bench.Sinks;
using Pipelines.Reviews;
using Pipelines.Reviews.Domain;
using Pipelines.Reviews.Rejects;
using Pipelines.Reviews.Storage;
using Pipelines.Shared.Aws;
using Pipelines.Shared.Buffers;
using Pipelines.Shared.Kinesis;
using Pipelines.Shared.Runtime;
using Pipelines.Shared.Sinks;

namespace Pipelines.Cli.Bench.Workloads;

/// <summary>review-ingestion-processor: Kinesis batches of 1,000 reviews of ~600 B -> BatchWriteItem requests (+ a rejects object).</summary>
internal sealed class ReviewsWorkload : FunctionWorkload
{
    private const int InvalidPerMille = 10;

    // Every stored review must carry these attributes with these DynamoDB types (the generator sends every field).
    private static readonly (string Name, string Type)[] StoredTypes =
    [
        ("review_id", "S"), ("reviewer_id", "S"), ("product_id", "S"), ("marketplace_id", "S"), ("star_rating", "N"),
        ("review_title", "S"), ("review_text", "S"), ("review_date", "S"), ("product_category", "S"), ("helpful_votes", "N"),
        ("verified_purchase", "BOOL"), ("ingestion_timestamp", "S"), ("source_sequence_number", "S"), ("source_shard_id", "S"),
    ];

    private readonly InMemoryReviewTable _reviews;
    private readonly HttpClient _http;
    private readonly InMemoryS3 _s3 = new();
    private readonly HashSet<string> _validIds = new(StringComparer.Ordinal);
    private readonly int _batchesWithRejects;

    public ReviewsWorkload(BenchTopology topology, BenchOptions options)
        : base(topology.Function("review-ingestion-processor"))
    {
        var env = topology.Environment(Spec);
        _reviews = new InMemoryReviewTable(env["REVIEWS_TABLE"]);
        _http = new HttpClient(_reviews);
        var dynamoDb = AwsClientOptions.Create(
            AwsService.DynamoDb, new Uri("https://dynamodb.us-east-1.amazonaws.com/"), "us-east-1", new AwsCredentials("bench", "bench"));
        Handler = new ReviewIngestionHandler(
            new ReviewBatchProcessor(
                DynamoReviewStore.Create(dynamoDb, env["REVIEWS_TABLE"], _http),
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
            // The generator uses the review id as the partition key.
            _validIds.UnionWith(records.Where(r => r.Valid).Select(r => r.PartitionKey));
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
        var batches = Events.Select(e => KinesisBatch.Parse(e)).ToList();
        var records = batches.SelectMany(b => Enumerable.Range(0, b.Count).Select(i => (b[i].Source, Data: Convert.FromBase64String(b.DataText(i))))).ToList();
        var items = records.Select(r => ReviewParser.Parse(r.Data, r.Source).Item).OfType<ReviewItem>().ToList();
        // One arena per invocation's worth of records, as the processor holds them.
        var invocations = records.Chunk(Math.Max(1, batches[0].Count)).ToList();
        var calls = Enumerable.Range(0, items.Count).Chunk(DynamoReviewStore.MaxItemsPerCall).ToList();
        var table = JsonEncodedText.Encode(_reviews.TableName);
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
            new("ReviewParser.Parse (Utf8JsonReader -> item DynamoDB JSON)", () =>
            {
                foreach (var invocation in invocations)
                {
                    using var arena = new PooledByteArena();
                    foreach (var (source, data) in invocation) ReviewParser.Parse(data, source, arena);
                }
            }),
            new("BatchWriteItem bodies from the items' JSON", () =>
            {
                foreach (var call in calls) BatchWriteRequestBody.Write(table, items, call).Dispose();
            }),
        ];
    }

    public override void ResetSinks()
    {
        _reviews.Reset();
        _s3.Reset();
    }

    public override string? Verify(IReadOnlyList<byte[]> responses)
    {
        if (FirstBatchItemFailure(responses) is { } failure) return failure;
        if (_s3.PutCalls != _batchesWithRejects) return $"{_s3.PutCalls} rejects objects written, expected {_batchesWithRejects}";
        Dictionary<string, byte[]> stored;
        try
        {
            stored = _reviews.DecodeItems();
        }
        catch (InvalidOperationException e)
        {
            return $"DynamoDB would refuse a BatchWriteItem call: {e.Message}";
        }
        if (stored.Count != _validIds.Count) return $"{stored.Count} reviews stored, expected {_validIds.Count}";
        foreach (var (id, json) in stored)
        {
            if (!_validIds.Contains(id)) return $"review {id} stored but it was generated invalid";
            using var item = JsonDocument.Parse(json);
            foreach (var (name, type) in StoredTypes)
            {
                if (!item.RootElement.TryGetProperty(name, out var value) || !value.TryGetProperty(type, out _))
                    return $"review {id}: {name} is not stored as a DynamoDB {type}: {Truncate(json)}";
            }
            if (item.RootElement.GetProperty("review_id").GetProperty("S").GetString() != id) return $"review {id} is stored under another key";
            if (item.RootElement.GetProperty("star_rating").GetProperty("N").GetString() is not ("1" or "2" or "3" or "4" or "5"))
                return $"review {id}: star_rating {item.RootElement.GetProperty("star_rating")} is not 1-5";
        }
        return null;
    }

    private static string Truncate(byte[] json) => System.Text.Encoding.UTF8.GetString(json.AsSpan(0, Math.Min(json.Length, 300)));

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _http.Dispose();
            _s3.Dispose();
        }
        base.Dispose(disposing);
    }
}

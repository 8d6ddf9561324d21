using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Cli.Producers;
using Pipelines.Events;
using Pipelines.Events.Archiving;
using Pipelines.Events.Aws;
using Pipelines.Events.Domain;
using Pipelines.LocalCloud.Emulators;
using Pipelines.Shared.Aws;
using Pipelines.Shared.Runtime;
using Pipelines.Tests.EventArchiver.Support;

namespace Pipelines.Tests.EventArchiver;

/// <summary>
/// The function against kinesalite, dynalite and s3rver: events produced onto a real (emulated) stream, read back,
/// delivered as Lambda delivers them (including redeliveries and two shards at once), archived through the real
/// DynamoDB and S3 sinks that <see cref="FunctionStartup"/> wires from the environment.
/// </summary>
[TestFixture]
[CancelAfter(300_000)]
[NonParallelizable]
public sealed class EmulatorIntegrationTests
{
    /// <summary>The dedup table's hash key, as topology.json describes it (TTL is not emulated by dynalite).</summary>
    private const string DedupKey = "event_uuid";
    private static readonly string[] FunctionVariables = ["EVENTS_BUCKET", "DEDUP_TABLE", "REJECTED_BUCKET", "REJECTED_PREFIX"];
    private EmulatorFixture _cloud = null!;
    private Dictionary<string, string?> _savedEnvironment = null!;
    private int _names;

    [OneTimeSetUp]
    public async Task StartEmulators()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        _cloud = await EmulatorFixture.StartAsync(timeout.Token);
        var variables = _cloud.EnvironmentVariables().Keys.Concat(FunctionVariables).Append("SSM_PARAMETER_PREFIX");
        _savedEnvironment = variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
        _cloud.ApplyToCurrentProcess();
        Environment.SetEnvironmentVariable("SSM_PARAMETER_PREFIX", null); // tunables fall back to their defaults
    }

    [OneTimeTearDown]
    public async Task StopEmulators()
    {
        foreach (var (name, value) in _savedEnvironment) Environment.SetEnvironmentVariable(name, value);
        await _cloud.DisposeAsync();
    }

    private string Unique(string name) => $"{name}-{Interlocked.Increment(ref _names)}";

    /// <summary>Creates the table and bucket, points the function's variables at them, and builds it as Lambda would.</summary>
    private async Task<(IStreamHandler Handler, string Bucket, string Table)> DeployAsync(CancellationToken ct)
    {
        var bucket = Unique("event-archive");
        var table = Unique("event-dedup");
        await _cloud.CreateBucketAsync(bucket, ct);
        await _cloud.CreateTableAsync(table, DedupKey, rangeKey: null, ct);
        Environment.SetEnvironmentVariable("EVENTS_BUCKET", bucket);
        Environment.SetEnvironmentVariable("DEDUP_TABLE", table);
        Environment.SetEnvironmentVariable("REJECTED_BUCKET", bucket);
        Environment.SetEnvironmentVariable("REJECTED_PREFIX", "rejected/");
        return (await FunctionStartup.CreateHandlerAsync(ct), bucket, table);
    }

    private static async Task<string> InvokeAsync(IStreamHandler handler, byte[] payload, CancellationToken ct)
    {
        using var input = new MemoryStream(payload);
        using var output = new MemoryStream();
        await handler.HandleAsync(input, output, new LambdaContext { AwsRequestId = Guid.NewGuid().ToString(), Deadline = DateTimeOffset.UtcNow.AddMinutes(1) }, ct);
        return System.Text.Encoding.UTF8.GetString(output.ToArray());
    }

    [Test]
    public async Task Produced_events_are_archived_exactly_once_across_shards_and_redeliveries(CancellationToken ct)
    {
        var stream = Unique("event-ingestion-stream");
        await _cloud.Kinesis.CreateStreamAsync(stream, 2, ct);
        await _cloud.Kinesis.WaitForActiveAsync(stream, TimeSpan.FromSeconds(30), ct);
        var produced = await new EventsProducer(_cloud.Kinesis).RunAsync(
            new EventsProduceOptions { Count = 600, DuplicateRate = 0.15, StreamName = stream, Seed = 42, BatchSize = 200 }, null, ct);
        produced.Sent.Should().Be(600);
        produced.Duplicates.Should().Be(90);
        produced.AmbiguousResends.Should().Be(0);
        var (handler, bucket, table) = await DeployAsync(ct);
        var shards = await _cloud.ReadRecordsAsync(stream, ct);
        shards.Values.Sum(r => r.Count).Should().Be(600);
        shards.Values.Should().AllSatisfy(r => r.Should().NotBeEmpty("both shards carry traffic"));

        // Both shards at once, in batches of 100, as two concurrent Lambda pollers would deliver them.
        var batches = shards.ToDictionary(s => s.Key, s => s.Value.Chunk(100).ToList());
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var responses = await Task.WhenAll(batches.Select(async shard =>
        {
            var results = new List<string>();
            foreach (var batch in shard.Value)
                results.Add(await InvokeAsync(handler, MappedKinesisEvent.Payload(stream, shard.Key, batch), ct));
            return results;
        }));
        TestContext.Out.WriteLine($"archived 600 records in {batches.Values.Sum(b => b.Count)} invocations over 2 shards in {clock.ElapsedMilliseconds} ms");
        responses.SelectMany(r => r).Should().AllBe("""{"batchItemFailures":[]}""");
        var firstPass = await _cloud.ReadObjectsAsync(bucket, "", ct);

        // Redeliveries: a batch again, and a larger batch that spans two earlier ones.
        var (shardId, records) = shards.First();
        (await InvokeAsync(handler, MappedKinesisEvent.Payload(stream, shardId, records.Take(100)), ct)).Should().Be("""{"batchItemFailures":[]}""");
        (await InvokeAsync(handler, MappedKinesisEvent.Payload(stream, shardId, records.Skip(50).Take(150)), ct)).Should().Be("""{"batchItemFailures":[]}""");
        var archive = await _cloud.ReadObjectsAsync(bucket, "", ct);
        archive.Should().BeEquivalentTo(firstPass, "redelivered records are neither rewritten nor duplicates");

        var lines = archive.SelectMany(o => o.Value.TrimEnd('\n').Split('\n').Select(line => (o.Key, Line: JsonDocument.Parse(line).RootElement.Clone()))).ToList();
        var events = lines.Where(l => l.Key.StartsWith("events/", StringComparison.Ordinal)).ToList();
        var duplicates = lines.Where(l => l.Key.StartsWith("duplicated/", StringComparison.Ordinal)).ToList();
        events.Select(l => l.Line.GetProperty("event_uuid").GetString()).Should().OnlyHaveUniqueItems()
            .And.BeEquivalentTo(produced.DistinctUuids);
        duplicates.Should().HaveCount(produced.Duplicates);
        Partitions(events).Should().BeEquivalentTo(produced.ExpectedEvents);
        Partitions(duplicates).Should().BeEquivalentTo(produced.ExpectedDuplicates);
        archive.Keys.Should().NotContain(k => k.StartsWith("rejected/", StringComparison.Ordinal));
        // One object per (kind, type, date) group per batch, not one per event.
        var groupsPerBatch = batches.Values.SelectMany(b => b).Sum(batch => batch
            .Select(r => EventParser.Parse(r.Data).Event!).Select(e => (e.EventType, e.CreatedDate)).Distinct().Count());
        archive.Count.Should().BeLessThanOrEqualTo(2 * groupsPerBatch).And.BeLessThan(600 / 2);
        TestContext.Out.WriteLine($"{archive.Count} objects for 600 records ({groupsPerBatch} type/date groups over the batches)");

        var uuid = produced.DistinctUuids[0];
        var claim = await _cloud.DynamoDb.GetItemAsync(new GetItemRequest
        {
            TableName = table,
            Key = new Dictionary<string, AttributeValue> { ["event_uuid"] = new() { S = uuid } },
            ConsistentRead = true,
        }, ct);
        claim.Item["claimed_by"].S.Should().MatchRegex("^shardId-\\d+:\\d+$");
        archive.Keys.Should().Contain(claim.Item["object_key"].S, "the claim names the object holding the first occurrence");
        DateTimeOffset.FromUnixTimeSeconds(long.Parse(claim.Item["expires_at"].N, System.Globalization.CultureInfo.InvariantCulture))
            .Should().BeCloseTo(DateTimeOffset.UtcNow.AddDays(7), TimeSpan.FromMinutes(5), "the dedup horizon is the dedup_ttl_days default");
    }

    [Test]
    public async Task The_producer_paces_realistic_events_at_the_requested_rate(CancellationToken ct)
    {
        var stream = Unique("event-ingestion-stream");
        await _cloud.Kinesis.CreateStreamAsync(stream, 1, ct);
        await _cloud.Kinesis.WaitForActiveAsync(stream, TimeSpan.FromSeconds(30), ct);
        var reports = new List<EventsProgress>();
        var progress = new SynchronousProgress<EventsProgress>(reports.Add);

        var produced = await new EventsProducer(_cloud.Kinesis).RunAsync(
            new EventsProduceOptions { Count = 60, Rate = 40, DuplicateRate = 0.1, StreamName = stream, Seed = 3 }, progress, ct);

        // 10-record chunks at 40 records/s: the last chunk may start after (60 - 10) / 40 = 1.25 s.
        produced.Elapsed.Should().BeGreaterThan(TimeSpan.FromSeconds(1.2)).And.BeLessThan(TimeSpan.FromSeconds(10));
        reports.Select(r => r.Sent).Should().BeInAscendingOrder().And.EndWith(60);
        produced.Duplicates.Should().Be(6);
        produced.DistinctUuids.Should().HaveCount(54).And.OnlyHaveUniqueItems();
        var sent = (await _cloud.ReadRecordsAsync(stream, ct)).Values.Single();
        sent.Should().HaveCount(60);
        var parsed = sent.Select(r => EventParser.Parse(r.Data)).ToList();
        parsed.Should().AllSatisfy(p => p.IsValid.Should().BeTrue("the producer sends only valid events"));
        parsed.Select(p => p.Event!.UuidKey).Distinct().Should().HaveCount(54);
        parsed.Select(p => p.Event!.EventType).Distinct().Should().HaveCountGreaterThan(3);
        parsed.Select(p => p.Event!.CreatedDate).Distinct().Should().HaveCountGreaterThan(1);
        parsed.Should().Contain(p => p.Event!.EventSubtype.Contains(':', StringComparison.Ordinal), "some subtypes contain ':'");
    }

    /// <summary>Reports on the caller's thread (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }

    private static Dictionary<string, int> Partitions(IEnumerable<(string Key, JsonElement Line)> lines) =>
        lines.GroupBy(l => string.Join('/', l.Key.Split('/')[1..3]), StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    [Test]
    public async Task Bad_records_land_under_the_rejected_prefix_with_reason_sequence_number_and_data(CancellationToken ct)
    {
        var (handler, bucket, _) = await DeployAsync(ct);
        var shard = new FakeShard("shardId-000000000000");
        shard.Add(TestEvents.Json(1, TestEvents.Uuid(1)));
        var bad = shard.Add("""{"event_uuid":"3f2b8c1e-9d4a-4e6b-8f1c-2a7d5e9b0c14","event_name":"signup","created_at":1709294400}""");
        var notBase64 = shard.AddBase64("%%%");
        var payload = JsonSerializer.SerializeToUtf8Bytes(shard.Batch(0, 3), Pipelines.Shared.Events.EventJsonContext.Default.KinesisEvent);

        (await InvokeAsync(handler, payload, ct)).Should().Be("""{"batchItemFailures":[]}""");

        var rejected = (await _cloud.ReadObjectsAsync(bucket, "rejected/", ct)).Should().ContainSingle().Subject.Value;
        var lines = rejected.TrimEnd('\n').Split('\n').Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        lines.Should().HaveCount(2);
        var signup = lines.Single(l => l.GetProperty("source").GetString() == bad.Kinesis.SequenceNumber);
        signup.GetProperty("reason").GetString().Should().StartWith("invalid_event_name");
        signup.GetProperty("shard_id").GetString().Should().Be("shardId-000000000000");
        signup.GetProperty("data_text").GetString().Should().Contain("\"signup\"");
        lines.Single(l => l.GetProperty("source").GetString() == notBase64.Kinesis.SequenceNumber)
            .GetProperty("reason").GetString().Should().StartWith("invalid_base64");
        (await _cloud.ReadObjectsAsync(bucket, "events/", ct)).Should().ContainSingle();
    }

    [Test]
    public async Task Dynalite_lets_exactly_one_of_many_concurrent_claimants_hold_a_uuid(CancellationToken ct)
    {
        var table = Unique("event-dedup");
        await _cloud.CreateTableAsync(table, DedupKey, rangeKey: null, ct);
        // Claims and placements over the store's own signed JSON bodies, the duplicate lookup over the SDK client.
        var options = AwsClientOptions.Create(
            AwsService.DynamoDb, _cloud.DynamoDbEndpoint, LocalCredentials.Region,
            new AwsCredentials(LocalCredentials.AccessKeyId, LocalCredentials.SecretAccessKey));
        var claims = DynamoDbClaimStore.Create(options, _cloud.DynamoDb, table);
        var uuid = TestEvents.Uuid(77);
        var claimants = Enumerable.Range(0, 16).Select(i => new RecordId($"shardId-00000000000{i % 2}", (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();

        // A refusal DynamoDB answers without the item is decided by reading the holder, as the archiver does per round.
        async Task<ClaimOutcome[]> Decided(ClaimAttempt[] attempts)
        {
            var outcomes = (await claims.ClaimAsync(attempts, 1_900_000_000, ct)).ToArray();
            var refused = Enumerable.Range(0, attempts.Length).Where(i => outcomes[i].Verdict == ClaimVerdict.Refused).ToArray();
            var decided = await claims.DecideRefusedAsync([.. refused.Select(i => attempts[i])], 1_900_000_000, ct);
            for (var k = 0; k < refused.Length; k++) outcomes[refused[k]] = decided[k];
            return outcomes;
        }

        async Task<ClaimOutcome> Claim(RecordId claimant) => (await Decided([new ClaimAttempt(uuid, claimant)])).Single();

        var results = await Task.WhenAll(claimants.Select(Claim));

        results.Count(r => r.Verdict == ClaimVerdict.Won).Should().Be(1);
        results.Should().OnlyContain(r => r.Verdict != ClaimVerdict.Failed);
        var winner = claimants[Array.FindIndex(results, r => r.Verdict == ClaimVerdict.Won)];
        (await Claim(winner)).Should().Be(ClaimOutcome.Won(null), "a redelivered claimant still holds it");
        var loser = claimants.First(c => c != winner);
        await claims.SavePlacementsAsync(
            [new Placement(uuid, winner, ArchiveKind.Events, "events/a.jsonl"), new Placement(uuid, loser, ArchiveKind.Duplicated, "duplicated/b.jsonl")],
            1_900_000_000, ct);
        (await Claim(winner)).Should().Be(ClaimOutcome.Won("events/a.jsonl"));
        (await Claim(loser)).Should().Be(ClaimOutcome.Lost);

        // One call mixing a fresh uuid, the held one (by its holder and by another record) answers each in order.
        var fresh = TestEvents.Uuid(78);
        var mixed = await Decided(
            [new ClaimAttempt(fresh, loser), new ClaimAttempt(uuid, claimants[^1] == winner ? claimants[0] : claimants[^1])]);
        mixed.Should().Equal(ClaimOutcome.Won(null), ClaimOutcome.Lost);
        var placements = await claims.GetDuplicatePlacementsAsync([new DuplicateRecord(uuid, loser), new DuplicateRecord(uuid, claimants[^1])], ct);
        placements.Should().Equal(new Dictionary<RecordId, string> { [loser] = "duplicated/b.jsonl" });
    }

    [Test]
    public async Task The_archive_store_reports_existence_and_keeps_bytes_exact_on_s3rver(CancellationToken ct)
    {
        var bucket = Unique("event-archive");
        await _cloud.CreateBucketAsync(bucket, ct);
        var store = new S3ArchiveStore(_cloud.S3, bucket);
        var key = new ArchivePartition(ArchiveKind.Events, "web/app=1", new DateOnly(2024, 3, 1)).Prefix + "shardId-000000000000-1-1-abc.jsonl";
        var body = System.Text.Encoding.UTF8.GetBytes("{\"text\":\"Café Olé\"}\n");

        (await store.ExistsAsync(key, ct)).Should().BeFalse();
        await store.PutAsync(key, body, ct);
        (await store.ExistsAsync(key, ct)).Should().BeTrue();

        var stored = await _cloud.ReadObjectsAsync(bucket, "events/event_type=web%2Fapp%3D1/", ct);
        stored.Should().ContainKey(key).WhoseValue.Should().Be("{\"text\":\"Café Olé\"}\n");
    }
}

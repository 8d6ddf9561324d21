using System.Text;
using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Catalog.Domain;
using Pipelines.Tests.CatalogConsolidator.Support;

namespace Pipelines.Tests.CatalogConsolidator.Processing;

public class CatalogBatchProcessorTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 31, 9, 0, 0, TimeSpan.Zero);
    private const long Sent = 1706692527456;

    private static string Rec(string partner, string accommodation, string extra = "", string contentType = "hotel") =>
        $$"""{"partner_id":"{{partner}}","accommodation_id":"{{accommodation}}","content_type":"{{contentType}}"{{extra}}}""";

    /// <summary>An extra string field for <see cref="Rec"/>: <c>,"name":"value"</c>.</summary>
    private static string Str(string name, string value) => $",\"{name}\":\"{value}\"";

    private static string[] Strings(JsonElement e) => e.EnumerateArray().Select(x => x.GetString()!).ToArray();

    [Test]
    public async Task Consolidates_the_objects_of_all_messages_into_one_partitioned_file()
    {
        using var h = new ProcessorHarness(new PartnerPriorityBook(new Dictionary<string, PartnerRanking> { ["hotel"] = new(["acme", "globex"], []) }));
        h.Source.Put("2024/01/31/globex-1.jsonl", Rec("globex", "H1", ""","name":"Globex H1","stars":4"""), Rec("globex", "H2", Str("name", "Only globex")));
        h.Source.Put("2024/01/31/acme-1.jsonl", Rec("acme", "H1", ""","name":"Acme H1","stars":null"""));
        var evt = new SqsEventBuilder()
            .Message("m-1", Sent, new S3Ref("2024/01/31/globex-1.jsonl", T0))
            .Message("m-2", Sent + 5, new S3Ref("2024/01/31/acme-1.jsonl", T0.AddSeconds(1)))
            .Build();

        var failures = await h.RunAsync(evt);

        failures.Should().BeEmpty();
        var key = h.Output.OutputKeys.Should().ContainSingle().Subject;
        key.Should().MatchRegex(@"^year=2024/month=01/day=31/output_object-1706692527456000-[0-9a-f]{16}-p0001\.jsonl$");
        var records = h.Output.Lines(key);
        records.Select(r => r.GetProperty("accommodation_id").GetString()).Should().Equal("H1", "H2");
        records[0].GetProperty("name").GetString().Should().Be("Acme H1");
        records[0].GetProperty("stars").GetInt32().Should().Be(4);
        Strings(records[0].GetProperty("consolidated_from")).Should().Equal("acme", "globex");
        Strings(records[0].GetProperty("source_objects")).Should().Equal(
            "s3://partner-catalog-source/2024/01/31/acme-1.jsonl", "s3://partner-catalog-source/2024/01/31/globex-1.jsonl");
        Directory.Exists(h.TempDirectory).Should().BeFalse("temp files are deleted after upload");
    }

    [Test]
    public async Task Decodes_url_encoded_keys_with_spaces_plus_signs_and_unicode()
    {
        using var h = new ProcessorHarness();
        h.Source.Put("2024/01/31/sunny stays-1.jsonl", Rec("sunny stays", "H1"));
        h.Source.Put("2024/01/31/hôtellerie+plus-2.jsonl", Rec("hôtellerie+plus", "H2"));
        h.Source.Put("2024/02/01/日本 旅館.jsonl", Rec("ryokan", "H3"));
        var evt = new SqsEventBuilder()
            .Message("m-1", Sent,
                new S3Ref("2024/01/31/sunny+stays-1.jsonl", T0),
                new S3Ref("2024/01/31/h%C3%B4tellerie%2Bplus-2.jsonl", T0))
            .Message("m-2", Sent, new S3Ref("2024/02/01/%E6%97%A5%E6%9C%AC+%E6%97%85%E9%A4%A8.jsonl", T0))
            .Build();

        var failures = await h.RunAsync(evt);

        failures.Should().BeEmpty();
        h.Source.Opened.Should().BeEquivalentTo("2024/01/31/sunny stays-1.jsonl", "2024/01/31/hôtellerie+plus-2.jsonl", "2024/02/01/日本 旅館.jsonl");
        h.Output.OutputKeys.Select(k => k[..26]).Should().Equal("year=2024/month=01/day=31/", "year=2024/month=02/day=01/");
        h.Output.AllOutputRecords().Select(r => Strings(r.GetProperty("source_objects")).Single()).Should().Contain(
            "s3://partner-catalog-source/2024/01/31/hôtellerie+plus-2.jsonl");
    }

    [Test]
    public async Task Processes_the_aws_sample_batch_and_acknowledges_the_test_event()
    {
        using var h = new ProcessorHarness();
        h.Source.Put("2024/01/31/sunny stays-1.jsonl", Rec("sunny", "H1", Str("name", "Sunny")));
        h.Source.Put("2024/01/31/hôtellerie+plus-2.jsonl", Rec("hotellerie", "H1", Str("phone", "+33 1")));

        var failures = await h.RunAsync(SqsEventBuilder.Decode(Fixtures.Text("sqs-batch-s3-events.json")));

        failures.Should().BeEmpty();
        var record = h.Output.AllOutputRecords().Should().ContainSingle().Subject;
        // Equal priority and no updated_at: the later S3 event (the multipart upload) wins, the other fills in.
        record.GetProperty("partner_id").GetString().Should().Be("hotellerie");
        record.GetProperty("name").GetString().Should().Be("Sunny");
        h.Output.RejectedKeys.Should().BeEmpty();
    }

    [Test]
    public async Task A_test_event_alone_is_acknowledged_and_writes_nothing()
    {
        using var h = new ProcessorHarness();

        var failures = await h.RunAsync(new SqsEventBuilder().TestEvent("t-1", Sent).Build());

        failures.Should().BeEmpty();
        h.Output.Objects.Should().BeEmpty();
    }

    [Test]
    public async Task A_missing_object_is_acknowledged_and_the_rest_of_the_message_is_processed()
    {
        using var h = new ProcessorHarness();
        h.Source.Put("2024/01/31/b.jsonl", Rec("b", "H1"));
        var evt = new SqsEventBuilder()
            .Message("m-1", Sent, new S3Ref("2024/01/31/deleted.jsonl", T0), new S3Ref("2024/01/31/b.jsonl", T0))
            .Build();

        var failures = await h.RunAsync(evt);

        failures.Should().BeEmpty();
        h.Output.AllOutputRecords().Should().ContainSingle();
    }

    [Test]
    public async Task Bad_lines_go_to_rejected_with_key_line_and_reason_and_the_rest_is_processed()
    {
        using var h = new ProcessorHarness();
        h.Source.Put("2024/01/31/acme 1.jsonl",
            Rec("acme", "H1"),
            "{not json",
            """{"partner_id":"acme","content_type":"hotel"}""",
            "",
            Rec("acme", "H2"));
        var evt = new SqsEventBuilder().Message("5bd9b7a2-8b49-4c5f-9a57-0f1c2d3e4f50", Sent, new S3Ref("2024/01/31/acme+1.jsonl", T0)).Build();

        var failures = await h.RunAsync(evt);

        failures.Should().BeEmpty();
        h.Output.AllOutputRecords().Select(r => r.GetProperty("accommodation_id").GetString()).Should().Equal("H1", "H2");
        var rejectedKey = h.Output.RejectedKeys.Should().ContainSingle().Subject;
        rejectedKey.Should().Be("rejected/year=2024/month=01/day=31/lines-5bd9b7a2-8b49-4c5f-9a57-0f1c2d3e4f50-0.jsonl");
        var rejected = h.Output.Lines(rejectedKey);
        rejected.Select(r => r.GetProperty("line_number").GetInt64()).Should().Equal(2, 3);
        rejected.Should().OnlyContain(r => r.GetProperty("source_key").GetString() == "2024/01/31/acme 1.jsonl");
        rejected[0].GetProperty("reason").GetString().Should().StartWith("not valid JSON");
        rejected[0].GetProperty("line").GetString().Should().Be("{not json");
        rejected[1].GetProperty("reason").GetString().Should().Be("missing required field 'accommodation_id'");
    }

    [Test]
    public async Task A_body_that_is_not_an_s3_notification_is_recorded_and_acknowledged()
    {
        using var h = new ProcessorHarness();
        h.Source.Put("2024/01/31/a.jsonl", Rec("a", "H1"));
        var evt = new SqsEventBuilder()
            .Body("junk-1", Sent, "hello from a misconfigured producer")
            .Body("junk-2", Sent, """{"Records":"nope"}""")
            .Body("junk-3", Sent, """{"detail-type":"Object Created"}""")
            .Body("junk-4", Sent, """{"Records":[{"eventSource":"aws:s3","s3":{"bucket":{"name":"b\ud800"},"object":{"key":"k"}}}]}""")
            .Message("m-1", Sent, new S3Ref("2024/01/31/a.jsonl", T0))
            .Build();

        var failures = await h.RunAsync(evt);

        failures.Should().BeEmpty("retrying a body that is not a notification can never succeed");
        h.Output.RejectedKeys.Should().Equal(
            "rejected/year=2024/month=01/day=31/message-junk-1.jsonl",
            "rejected/year=2024/month=01/day=31/message-junk-2.jsonl",
            "rejected/year=2024/month=01/day=31/message-junk-3.jsonl",
            "rejected/year=2024/month=01/day=31/message-junk-4.jsonl");
        var record = h.Output.Lines("rejected/year=2024/month=01/day=31/message-junk-1.jsonl").Single();
        record.GetProperty("body").GetString().Should().Be("hello from a misconfigured producer");
        record.GetProperty("reason").GetString().Should().StartWith("body is not JSON");
        h.Output.AllOutputRecords().Should().ContainSingle();
    }

    [Test]
    public async Task Redelivering_the_same_messages_in_any_order_overwrites_the_same_objects_with_the_same_bytes()
    {
        using var h = new ProcessorHarness();
        h.Source.Put("2024/01/31/a.jsonl", Rec("a", "H1", ""","v":1"""), Rec("a", "H2"), "bad line");
        h.Source.Put("2024/01/31/b.jsonl", Rec("b", "H1", ""","w":2"""));
        h.Source.Put("2024/02/01/c.jsonl", Rec("c", "H3"));
        var first = new SqsEventBuilder()
            .Message("m-a", Sent, new S3Ref("2024/01/31/a.jsonl", T0))
            .Message("m-b", Sent + 1, new S3Ref("2024/01/31/b.jsonl", T0.AddSeconds(1)))
            .Message("m-c", Sent + 2, new S3Ref("2024/02/01/c.jsonl", T0.AddSeconds(2)))
            .Build();
        var shuffled = new SqsEventBuilder()
            .Message("m-c", Sent + 2, new S3Ref("2024/02/01/c.jsonl", T0.AddSeconds(2)))
            .Message("m-a", Sent, new S3Ref("2024/01/31/a.jsonl", T0))
            .Message("m-b", Sent + 1, new S3Ref("2024/01/31/b.jsonl", T0.AddSeconds(1)))
            .Build();

        (await h.RunAsync(first)).Should().BeEmpty();
        var afterFirst = h.Output.Objects.ToDictionary(kv => kv.Key, kv => kv.Value);
        h.Clock.Now = h.Clock.Now.AddMinutes(7);
        (await h.RunAsync(first)).Should().BeEmpty();
        (await h.RunAsync(shuffled)).Should().BeEmpty();

        h.Output.Objects.Keys.Should().BeEquivalentTo(afterFirst.Keys);
        foreach (var (key, bytes) in afterFirst) h.Output.Objects[key].Should().Equal(bytes, key);
        afterFirst.Keys.Count(k => !k.StartsWith("rejected/", StringComparison.Ordinal)).Should().Be(2);
        h.Output.AllOutputRecords().Should().HaveCount(3, "no record appears twice");
    }

    [Test]
    public async Task A_transient_read_failure_fails_only_that_message_and_leaves_no_partial_output()
    {
        using var h = new ProcessorHarness();
        h.Source.Put("2024/01/31/good.jsonl", Rec("good", "H1"));
        h.Source.Put("2024/01/31/flaky-ok-part.jsonl", Rec("flaky", "H2"));
        h.Source.Put("2024/01/31/flaky.jsonl", Rec("flaky", "H3"));
        h.Source.FailingKeys.Add("2024/01/31/flaky.jsonl");
        var evt = new SqsEventBuilder()
            .Message("m-good", Sent, new S3Ref("2024/01/31/good.jsonl", T0))
            .Message("m-flaky", Sent, new S3Ref("2024/01/31/flaky-ok-part.jsonl", T0), new S3Ref("2024/01/31/flaky.jsonl", T0))
            .Build();

        var failures = await h.RunAsync(evt);

        failures.Should().Equal("m-flaky");
        h.Source.Opened.Count(k => k == "2024/01/31/flaky.jsonl").Should().Be(3, "transient errors are retried before giving up");
        h.Output.AllOutputRecords().Select(r => r.GetProperty("accommodation_id").GetString())
            .Should().Equal(["H1"], "the failed message's first object must not be half-delivered");
    }

    [Test]
    public async Task A_failed_upload_fails_every_message_whose_records_it_carried()
    {
        using var h = new ProcessorHarness();
        h.Source.Put("2024/01/31/a.jsonl", Rec("a", "H1"));
        h.Source.Put("2024/01/31/b.jsonl", Rec("b", "H1"));
        h.Source.Put("2024/02/01/c.jsonl", Rec("c", "H9"));
        h.Output.FailPut = key => key.StartsWith("year=2024/month=01/day=31/", StringComparison.Ordinal);
        var evt = new SqsEventBuilder()
            .Message("m-a", Sent, new S3Ref("2024/01/31/a.jsonl", T0))
            .Message("m-b", Sent, new S3Ref("2024/01/31/b.jsonl", T0))
            .Message("m-c", Sent, new S3Ref("2024/02/01/c.jsonl", T0))
            .Build();

        var failures = await h.RunAsync(evt);

        failures.Should().Equal("m-a", "m-b");
        h.Output.OutputKeys.Should().ContainSingle().Which.Should().StartWith("year=2024/month=02/day=01/");
    }

    [Test]
    public async Task An_uploaded_file_sharing_a_failed_message_is_taken_back_so_the_retry_cannot_duplicate_it()
    {
        using var h = new ProcessorHarness();
        // m-b's records land in both day partitions; the 01-31 upload fails, so the 02-01 file (m-b and m-c) is taken back.
        h.Source.Put("2024/01/31/a.jsonl", Rec("a", "H1"));
        h.Source.Put("2024/01/31/b.jsonl", Rec("b", "H1"));
        h.Source.Put("2024/02/01/b.jsonl", Rec("b", "H2"));
        h.Source.Put("2024/02/01/c.jsonl", Rec("c", "H2"));
        h.Source.Put("2024/02/02/d.jsonl", Rec("d", "H4"));
        h.Output.FailPut = key => key.StartsWith("year=2024/month=01/day=31/", StringComparison.Ordinal);
        var evt = new SqsEventBuilder()
            .Message("m-a", Sent, new S3Ref("2024/01/31/a.jsonl", T0))
            .Message("m-b", Sent, new S3Ref("2024/01/31/b.jsonl", T0), new S3Ref("2024/02/01/b.jsonl", T0))
            .Message("m-c", Sent, new S3Ref("2024/02/01/c.jsonl", T0.AddSeconds(1)))
            .Message("m-d", Sent, new S3Ref("2024/02/02/d.jsonl", T0))
            .Build();

        var failures = await h.RunAsync(evt);

        failures.Should().Equal("m-a", "m-b", "m-c");
        h.Output.Deleted.Should().ContainSingle().Which.Should().StartWith("year=2024/month=02/day=01/");
        h.Output.OutputKeys.Should().ContainSingle().Which.Should().StartWith("year=2024/month=02/day=02/");
    }

    [Test]
    public async Task A_failed_rejected_lines_upload_fails_its_message()
    {
        using var h = new ProcessorHarness();
        h.Source.Put("2024/01/31/a.jsonl", Rec("a", "H1"), "garbage");
        h.Source.Put("2024/02/01/b.jsonl", Rec("b", "H2"));
        h.Output.FailPut = key => key.StartsWith("rejected/", StringComparison.Ordinal);
        var evt = new SqsEventBuilder()
            .Message("m-a", Sent, new S3Ref("2024/01/31/a.jsonl", T0))
            .Message("m-b", Sent, new S3Ref("2024/02/01/b.jsonl", T0))
            .Build();

        var failures = await h.RunAsync(evt);

        failures.Should().Equal("m-a");
        h.Output.OutputKeys.Should().ContainSingle("m-a's own output file was taken back: its retry will write it again")
            .Which.Should().StartWith("year=2024/month=02/day=01/");
    }

    [Test]
    public async Task Stops_taking_messages_when_time_runs_short_uploads_what_is_done_and_fails_the_rest()
    {
        using var h = new ProcessorHarness();
        for (var i = 1; i <= 4; i++) h.Source.Put($"2024/01/31/p{i}.jsonl", Rec($"p{i}", $"H{i}"));
        var builder = new SqsEventBuilder();
        for (var i = 1; i <= 4; i++) builder.Message($"m-{i}", Sent, new S3Ref($"2024/01/31/p{i}.jsonl", T0));
        var context = new ScriptedContext(TimeSpan.FromSeconds(80), TimeSpan.FromSeconds(40), TimeSpan.FromSeconds(14), TimeSpan.FromSeconds(60));

        var failures = await h.RunAsync(builder.Build(), context);

        failures.Should().Equal("m-3", "m-4");
        h.Output.AllOutputRecords().Select(r => r.GetProperty("accommodation_id").GetString()).Should().Equal("H1", "H2");
    }

    [Test]
    public async Task A_read_that_outlasts_the_time_budget_is_abandoned_and_its_message_retried()
    {
        using var h = new ProcessorHarness();
        h.Settings = h.Settings with { UploadReserve = TimeSpan.FromSeconds(15) };
        h.Source.Put("2024/01/31/fast.jsonl", Rec("fast", "H1"));
        h.Source.Put("2024/01/31/slow.jsonl", Rec("slow", "H2"), Rec("slow", "H3"));
        h.Source.Put("2024/01/31/after.jsonl", Rec("after", "H4"));
        h.Source.StallingKeys.Add("2024/01/31/slow.jsonl");
        var evt = new SqsEventBuilder()
            .Message("m-fast", Sent, new S3Ref("2024/01/31/fast.jsonl", T0))
            .Message("m-slow", Sent + 1, new S3Ref("2024/01/31/slow.jsonl", T0))
            .Message("m-after", Sent + 2, new S3Ref("2024/01/31/after.jsonl", T0))
            .Build();
        var context = new ScriptedContext(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(15.3), TimeSpan.FromSeconds(60));

        var failures = await h.RunAsync(evt, context);

        failures.Should().Equal("m-slow", "m-after");
        h.Output.AllOutputRecords().Select(r => r.GetProperty("accommodation_id").GetString()).Should().Equal("H1");
    }

    [Test]
    public async Task Rolls_output_files_at_the_configured_size_and_names_each_part()
    {
        using var h = new ProcessorHarness();
        h.Settings = h.Settings with { MaxOutputFileBytes = 1000 };
        var lines = Enumerable.Range(0, 40).Select(i => Rec("a", $"H{i:D3}", Str("pad", new string('x', 100)))).ToArray();
        h.Source.Put("2024/01/31/a.jsonl", lines);
        var evt = new SqsEventBuilder().Message("m-1", Sent, new S3Ref("2024/01/31/a.jsonl", T0)).Build();

        (await h.RunAsync(evt)).Should().BeEmpty();

        var keys = h.Output.OutputKeys.ToList();
        keys.Should().HaveCountGreaterThan(5);
        keys.Select(k => k[^11..]).Should().Equal(Enumerable.Range(1, keys.Count).Select(i => $"p{i:D4}.jsonl"));
        h.Output.Objects.Where(kv => keys.Contains(kv.Key)).Should().OnlyContain(kv => kv.Value.Length <= 1000);
        h.Output.AllOutputRecords().Should().HaveCount(40);
    }

    [Test]
    public async Task Keys_without_a_date_use_the_processing_date()
    {
        using var h = new ProcessorHarness();
        h.Source.Put("incoming/acme.jsonl", Rec("acme", "H1"));

        (await h.RunAsync(new SqsEventBuilder().Message("m-1", Sent, new S3Ref("incoming/acme.jsonl", T0)).Build())).Should().BeEmpty();

        h.Output.OutputKeys.Should().ContainSingle().Which.Should().StartWith("year=2024/month=03/day=09/");
    }

    [Test]
    public async Task Cleans_leftovers_of_a_previous_invocation_from_its_temp_directory()
    {
        using var h = new ProcessorHarness();
        Directory.CreateDirectory(Path.Combine(h.TempDirectory, "out"));
        await File.WriteAllTextAsync(Path.Combine(h.TempDirectory, "out", "out-20240131-0001.jsonl"), Rec("stale", "STALE") + "\n");
        h.Source.Put("2024/01/31/a.jsonl", Rec("a", "H1"));

        (await h.RunAsync(new SqsEventBuilder().Message("m-1", Sent, new S3Ref("2024/01/31/a.jsonl", T0)).Build())).Should().BeEmpty();

        h.Output.AllOutputRecords().Select(r => r.GetProperty("accommodation_id").GetString()).Should().Equal("H1");
        Directory.Exists(h.TempDirectory).Should().BeFalse();
    }

    [Test]
    public async Task A_later_smaller_batch_writes_over_the_kept_spool_file_and_uploads_only_its_own_records()
    {
        using var h = new ProcessorHarness();
        h.Source.Put("2024/01/31/big.jsonl", Enumerable.Range(0, 300).Select(i => Rec("a", $"BIG-{i:D4}", Str("name", new string('x', 200)))).ToArray());
        h.Source.Put("2024/01/31/small.jsonl", Rec("a", "SMALL-1"), Rec("a", "SMALL-2"));

        (await h.RunAsync(new SqsEventBuilder().Message("m-big", Sent, new S3Ref("2024/01/31/big.jsonl", T0)).Build())).Should().BeEmpty();
        var kept = Directory.GetFiles(h.Settings.SpoolDirectory);
        kept.Should().ContainSingle("the spool file stays for the next invocation");
        new FileInfo(kept[0]).Length.Should().BeGreaterThan(60_000);
        h.Output.Objects.Clear();

        (await h.RunAsync(new SqsEventBuilder().Message("m-small", Sent + 1, new S3Ref("2024/01/31/small.jsonl", T0)).Build())).Should().BeEmpty();

        Directory.GetFiles(h.Settings.SpoolDirectory).Should().Equal(kept, "the same file was written over");
        var key = h.Output.OutputKeys.Should().ContainSingle().Subject;
        h.Output.Lines(key).Select(r => r.GetProperty("accommodation_id").GetString()).Should().Equal("SMALL-1", "SMALL-2");
        Directory.Exists(h.TempDirectory).Should().BeFalse();
    }

    [Test]
    public async Task Spool_files_over_the_retained_budget_are_deleted_after_the_upload()
    {
        using var h = new ProcessorHarness();
        h.Settings = h.Settings with { RetainedSpoolBytes = 1_000 };
        h.Source.Put("2024/01/31/big.jsonl", Enumerable.Range(0, 50).Select(i => Rec("a", $"BIG-{i:D4}", Str("name", new string('x', 200)))).ToArray());

        (await h.RunAsync(new SqsEventBuilder().Message("m-big", Sent, new S3Ref("2024/01/31/big.jsonl", T0)).Build())).Should().BeEmpty();

        h.Output.AllOutputRecords().Should().HaveCount(50);
        Directory.GetFiles(h.Settings.SpoolDirectory).Should().BeEmpty("one file of ~12 KB is over a 1,000-byte budget");
    }

    [Test]
    public async Task Without_partner_priorities_the_whole_batch_is_retried_and_a_cached_copy_outlives_a_later_outage()
    {
        using var h = new ProcessorHarness(new PartnerPriorityBook(new Dictionary<string, PartnerRanking> { ["hotel"] = new(["b", "a"], []) }));
        h.Source.Put("2024/01/31/a.jsonl", Rec("a", "H1"));
        h.Source.Put("2024/01/31/b.jsonl", Rec("b", "H1"));
        var evt = new SqsEventBuilder()
            .Message("m-a", Sent, new S3Ref("2024/01/31/a.jsonl", T0.AddSeconds(5)))
            .Message("m-b", Sent, new S3Ref("2024/01/31/b.jsonl", T0))
            .Build();

        h.Priorities.Failure = new HttpRequestException("dynamodb unreachable");
        (await h.RunAsync(evt)).Should().Equal("m-a", "m-b");
        h.Output.Objects.Should().BeEmpty();

        h.Priorities.Failure = null;
        (await h.RunAsync(evt)).Should().BeEmpty();
        h.Priorities.Failure = new HttpRequestException("dynamodb unreachable");
        h.Clock.Now = h.Clock.Now.AddHours(1);
        (await h.RunAsync(evt)).Should().BeEmpty();

        h.Output.AllOutputRecords().Should().ContainSingle().Which.GetProperty("partner_id").GetString().Should().Be("b");
    }

    [Test]
    public async Task Partner_priorities_are_read_once_per_ttl()
    {
        using var h = new ProcessorHarness();
        h.Source.Put("2024/01/31/a.jsonl", Rec("a", "H1"));
        var evt = new SqsEventBuilder().Message("m-1", Sent, new S3Ref("2024/01/31/a.jsonl", T0)).Build();

        await h.RunAsync(evt);
        h.Clock.Now = h.Clock.Now.AddSeconds(299);
        await h.RunAsync(evt);
        h.Priorities.Loads.Should().Be(1);
        h.Clock.Now = h.Clock.Now.AddSeconds(2);
        await h.RunAsync(evt);
        h.Priorities.Loads.Should().Be(2);
    }

    [Test]
    public async Task A_huge_consolidated_record_is_written_alone_and_lines_past_the_line_limit_are_rejected()
    {
        using var h = new ProcessorHarness();
        h.Settings = h.Settings with { MaxLineBytes = 2_000_000 };
        var big = new string('d', 600_000);
        h.Source.Put("2024/01/31/a.jsonl",
            Rec("a", "H1"),
            Rec("a", "H5-BIG", Str("description", big)),
            Rec("a", "H9"),
            Rec("a", "TOO-BIG", Str("description", new string('e', 2_100_000))));

        (await h.RunAsync(new SqsEventBuilder().Message("m-1", Sent, new S3Ref("2024/01/31/a.jsonl", T0)).Build())).Should().BeEmpty();

        var keys = h.Output.OutputKeys.ToList();
        keys.Select(k => h.Output.Lines(k).Single().GetProperty("accommodation_id").GetString()).Should().Equal("H1", "H5-BIG", "H9");
        h.Output.Objects[keys[1]].Length.Should().BeGreaterThan(500_000);
        var rejected = h.Output.Lines(h.Output.RejectedKeys.Single()).Single();
        rejected.GetProperty("line_number").GetInt64().Should().Be(4);
        rejected.GetProperty("reason").GetString().Should().Be("line is longer than 2000000 bytes");
        Encoding.UTF8.GetByteCount(rejected.GetProperty("line").GetString() ?? "").Should().Be(0, "an over-long line is never held, so nothing of it is kept");
    }

    [Test]
    public async Task An_object_named_twice_in_a_batch_is_read_once_and_listed_once()
    {
        using var h = new ProcessorHarness();
        h.Source.Put("2024/01/31/a.jsonl", Rec("a", "H1"));
        var evt = new SqsEventBuilder()
            .Message("m-1", Sent, new S3Ref("2024/01/31/a.jsonl", T0))
            .Message("m-2", Sent + 1, new S3Ref("2024/01/31/a.jsonl", T0.AddSeconds(1)))
            .Build();

        (await h.RunAsync(evt)).Should().BeEmpty();

        h.Source.Opened.Should().ContainSingle();
        var record = h.Output.AllOutputRecords().Should().ContainSingle().Subject;
        Strings(record.GetProperty("source_objects")).Should().Equal("s3://partner-catalog-source/2024/01/31/a.jsonl");
    }
}

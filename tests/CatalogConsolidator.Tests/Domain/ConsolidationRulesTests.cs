using FluentAssertions;
using NUnit.Framework;
using Pipelines.Catalog.Domain;
using static Pipelines.Tests.CatalogConsolidator.Domain.ConsolidationHarness;

namespace Pipelines.Tests.CatalogConsolidator.Domain;

public class ConsolidationRulesTests
{
    private const string Key = "2024/01/31/";

    [Test]
    public void The_highest_priority_partner_wins_regardless_of_arrival_order()
    {
        var state = Consolidate(Book("hotel", ["expedia", "booking", "agoda"]),
            new TestObject(Key + "agoda-1.jsonl", 0, """{"partner_id":"agoda","accommodation_id":"H1","content_type":"hotel","name":"Agoda Name"}"""),
            new TestObject(Key + "booking-1.jsonl", 1, """{"partner_id":"booking","accommodation_id":"H1","content_type":"hotel","name":"Booking Name"}"""),
            new TestObject(Key + "expedia-1.jsonl", 2, """{"partner_id":"expedia","accommodation_id":"H1","content_type":"hotel","name":"Expedia Name"}"""));

        var record = Single(state, "H1");

        record.GetProperty("name").GetString().Should().Be("Expedia Name");
        record.GetProperty("partner_id").GetString().Should().Be("expedia");
        Output(state).Should().HaveCount(1);
    }

    [Test]
    public void Unlisted_partners_rank_after_every_listed_partner()
    {
        var state = Consolidate(Book("hotel", ["booking"]),
            new TestObject(Key + "zeta.jsonl", 0, """{"partner_id":"zeta","accommodation_id":"H1","content_type":"hotel","name":"Zeta","updated_at":"2030-01-01T00:00:00Z"}"""),
            new TestObject(Key + "booking.jsonl", 0, """{"partner_id":"booking","accommodation_id":"H1","content_type":"hotel","name":"Booking","updated_at":"2020-01-01T00:00:00Z"}"""));

        Single(state, "H1").GetProperty("name").GetString().Should().Be("Booking", "a listed partner beats an unlisted one even with older data");
    }

    [Test]
    public void Blacklisted_partners_are_dropped_entirely()
    {
        var state = Consolidate(Book("hotel", ["spammy", "booking"], "spammy"),
            new TestObject(Key + "spammy.jsonl", 0,
                """{"partner_id":"spammy","accommodation_id":"H1","content_type":"hotel","name":"Spam","phone":"555"}""",
                """{"partner_id":"spammy","accommodation_id":"H2","content_type":"hotel","name":"Only spam"}"""),
            new TestObject(Key + "booking.jsonl", 0, """{"partner_id":"booking","accommodation_id":"H1","content_type":"hotel","name":"Booking"}"""));

        var output = Output(state);

        output.Should().ContainSingle();
        output[0].GetProperty("name").GetString().Should().Be("Booking");
        output[0].TryGetProperty("phone", out _).Should().BeFalse("a blacklisted partner does not even fill in missing fields");
        Strings(output[0].GetProperty("consolidated_from")).Should().Equal("booking");
    }

    [Test]
    public void The_blacklist_applies_only_to_its_content_type()
    {
        var book = new PartnerPriorityBook(new Dictionary<string, PartnerRanking>
        {
            ["hotel"] = new(["booking"], ["spammy"]),
        });
        var state = Consolidate(book,
            new TestObject(Key + "spammy.jsonl", 0, """{"partner_id":"spammy","accommodation_id":"A1","content_type":"apartment","name":"Flat"}"""));

        Single(state, "A1").GetProperty("name").GetString().Should().Be("Flat");
    }

    [Test]
    public void Equal_priority_goes_to_the_later_updated_at()
    {
        var state = Consolidate(PartnerPriorityBook.Empty,
            new TestObject(Key + "b.jsonl", 0, """{"partner_id":"b","accommodation_id":"H1","content_type":"hotel","name":"New","updated_at":"2024-01-31T10:00:00+02:00"}"""),
            new TestObject(Key + "a.jsonl", 0, """{"partner_id":"a","accommodation_id":"H1","content_type":"hotel","name":"Old","updated_at":"2024-01-31T08:30:00Z"}"""));

        // 10:00+02:00 is 08:00Z, earlier than 08:30Z: offsets are honoured, not compared as text.
        Single(state, "H1").GetProperty("name").GetString().Should().Be("Old");
    }

    [Test]
    public void A_record_with_updated_at_beats_an_equal_priority_record_without_one()
    {
        var state = Consolidate(PartnerPriorityBook.Empty,
            new TestObject(Key + "a.jsonl", 0, """{"partner_id":"a","accommodation_id":"H1","content_type":"hotel","name":"Dated","updated_at":"2001-01-01T00:00:00Z"}"""),
            new TestObject(Key + "b.jsonl", 0, """{"partner_id":"b","accommodation_id":"H1","content_type":"hotel","name":"Undated","updated_at":"not a date"}"""));

        Single(state, "H1").GetProperty("name").GetString().Should().Be("Dated");
    }

    [Test]
    public void Full_ties_go_to_the_later_object_then_the_later_line()
    {
        const string first = """{"partner_id":"a","accommodation_id":"H1","content_type":"hotel","name":"first","updated_at":"2024-01-01T00:00:00Z"}""";
        const string second = """{"partner_id":"a","accommodation_id":"H1","content_type":"hotel","name":"second","updated_at":"2024-01-01T00:00:00Z"}""";
        const string third = """{"partner_id":"a","accommodation_id":"H1","content_type":"hotel","name":"third","updated_at":"2024-01-01T00:00:00Z"}""";

        var byObject = Consolidate(PartnerPriorityBook.Empty,
            new TestObject(Key + "a-1.jsonl", 0, first, second),
            new TestObject(Key + "a-2.jsonl", 1, third));
        var byLine = Consolidate(PartnerPriorityBook.Empty,
            new TestObject(Key + "a-1.jsonl", 0, first, second));

        Single(byObject, "H1").GetProperty("name").GetString().Should().Be("third");
        Single(byLine, "H1").GetProperty("name").GetString().Should().Be("second");
    }

    [Test]
    public void Missing_fields_are_filled_from_the_next_records_in_priority_order()
    {
        var state = Consolidate(Book("hotel", ["p1", "p2", "p3"]),
            new TestObject(Key + "p3.jsonl", 0, """{"partner_id":"p3","accommodation_id":"H1","content_type":"hotel","name":"P3","rating":3,"phone":"+1 333","stars":3}"""),
            new TestObject(Key + "p2.jsonl", 0, """{"partner_id":"p2","accommodation_id":"H1","content_type":"hotel","name":"P2","rating":4.50}"""),
            new TestObject(Key + "p1.jsonl", 0, """{"partner_id":"p1","accommodation_id":"H1","content_type":"hotel","name":"P1","geo":{"lat":1.0,"lon":2.25}}"""));

        var record = Single(state, "H1");

        record.GetProperty("name").GetString().Should().Be("P1");
        record.GetProperty("geo").GetRawText().Should().Be("""{"lat":1.0,"lon":2.25}""");
        record.GetProperty("rating").GetRawText().Should().Be("4.50", "p2 outranks p3 and the number is kept exactly as written");
        record.GetProperty("phone").GetString().Should().Be("+1 333");
        record.GetProperty("stars").GetInt32().Should().Be(3);
        Strings(record.GetProperty("consolidated_from")).Should().Equal("p1", "p2", "p3");
        Strings(record.GetProperty("source_objects")).Should().Equal(
            "s3://partner-catalog-source/2024/01/31/p1.jsonl",
            "s3://partner-catalog-source/2024/01/31/p2.jsonl",
            "s3://partner-catalog-source/2024/01/31/p3.jsonl");
    }

    [Test]
    public void A_null_in_the_winner_is_filled_from_a_lower_record_that_has_a_value()
    {
        var state = Consolidate(Book("hotel", ["p1", "p2"]),
            new TestObject(Key + "p1.jsonl", 0, """{"partner_id":"p1","accommodation_id":"H1","content_type":"hotel","phone":null,"fax":null}"""),
            new TestObject(Key + "p2.jsonl", 0, """{"partner_id":"p2","accommodation_id":"H1","content_type":"hotel","phone":"123"}"""));

        var record = Single(state, "H1");

        record.GetProperty("phone").GetString().Should().Be("123");
        record.GetProperty("fax").ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);
    }

    [Test]
    public void Partners_that_only_lost_are_not_listed_as_contributors()
    {
        var state = Consolidate(Book("hotel", ["p1", "p2"]),
            new TestObject(Key + "p2.jsonl", 0, """{"partner_id":"p2","accommodation_id":"H1","content_type":"hotel","name":"P2"}"""),
            new TestObject(Key + "p1.jsonl", 1, """{"partner_id":"p1","accommodation_id":"H1","content_type":"hotel","name":"P1"}"""));

        var record = Single(state, "H1");

        Strings(record.GetProperty("consolidated_from")).Should().Equal("p1");
        Strings(record.GetProperty("source_objects")).Should().Equal("s3://partner-catalog-source/2024/01/31/p1.jsonl");
    }

    [Test]
    public void The_winner_keeps_its_field_order_and_fill_ins_follow()
    {
        var state = Consolidate(Book("hotel", ["p1", "p2"]),
            new TestObject(Key + "p2.jsonl", 0, """{"zzz":1,"partner_id":"p2","accommodation_id":"H1","content_type":"hotel","aaa":2}"""),
            new TestObject(Key + "p1.jsonl", 0, """{"content_type":"hotel","name":"P1","accommodation_id":"H1","partner_id":"p1"}"""));

        Single(state, "H1").EnumerateObject().Select(p => p.Name).Should().Equal(
            "content_type", "name", "accommodation_id", "partner_id", "zzz", "aaa", "consolidated_from", "source_objects");
    }

    [Test]
    public void Groups_are_per_content_type_and_accommodation()
    {
        var state = Consolidate(PartnerPriorityBook.Empty,
            new TestObject(Key + "a.jsonl", 0,
                """{"partner_id":"a","accommodation_id":"X1","content_type":"hotel","name":"hotel X1"}""",
                """{"partner_id":"a","accommodation_id":"X1","content_type":"apartment","name":"apartment X1"}""",
                """{"partner_id":"a","accommodation_id":"X2","content_type":"hotel","name":"hotel X2"}"""));

        Output(state).Select(r => r.GetProperty("name").GetString()).Should().Equal("apartment X1", "hotel X1", "hotel X2");
    }

    [Test]
    public void Values_are_copied_verbatim_including_escapes_and_number_spelling()
    {
        const string line = """{"partner_id":"a","accommodation_id":"H1","content_type":"hotel","price":1.10,"big":12345678901234567890123,"e":1E+3,"name":"Caf\u00e9 \"Nord\"","tags":[ "a" , "b" ]}""";
        var state = Consolidate(PartnerPriorityBook.Empty, new TestObject(Key + "a.jsonl", 0, line));

        var record = Single(state, "H1");

        record.GetProperty("price").GetRawText().Should().Be("1.10");
        record.GetProperty("big").GetRawText().Should().Be("12345678901234567890123");
        record.GetProperty("e").GetRawText().Should().Be("1E+3");
        record.GetProperty("name").GetRawText().Should().Be("\"Caf\\u00e9 \\\"Nord\\\"\"");
        record.GetProperty("tags").GetRawText().Should().Be("""[ "a" , "b" ]""");
    }

    [Test]
    public void Partner_supplied_lineage_fields_are_replaced_by_ours()
    {
        var state = Consolidate(PartnerPriorityBook.Empty,
            new TestObject(Key + "a.jsonl", 0, """{"partner_id":"a","accommodation_id":"H1","content_type":"hotel","consolidated_from":["forged"],"source_objects":"x"}"""));

        var record = Single(state, "H1");

        Strings(record.GetProperty("consolidated_from")).Should().Equal("a");
        Strings(record.GetProperty("source_objects")).Should().Equal("s3://partner-catalog-source/2024/01/31/a.jsonl");
        record.EnumerateObject().Count(p => p.Name == "consolidated_from").Should().Be(1);
    }

    [Test]
    public void Many_updates_of_one_accommodation_do_not_grow_its_state()
    {
        var lines = Enumerable.Range(0, 5000)
            .Select(i => $$"""{"partner_id":"a","accommodation_id":"H1","content_type":"hotel","updated_at":"2024-01-01T00:00:{{i % 60:D2}}Z","n":{{i}}}""")
            .ToArray();
        var state = Consolidate(PartnerPriorityBook.Empty, new TestObject(Key + "a.jsonl", 0, lines));

        var group = state.Group(state.Keys.Single().Index);

        group.SlotCount.Should().Be(5);
        group.ContributorCount.Should().BeLessThanOrEqualTo(2 * group.SlotCount + 2);
        Single(state, "H1").GetProperty("n").GetInt32().Should().Be(4979, "the last line with the latest second (59) wins");
    }

    [Test]
    public void A_message_that_is_never_merged_leaves_no_trace()
    {
        var context = new ConsolidationContext(PartnerPriorityBook.Empty, [new SourceObject(0, "b", "k.jsonl", null)]);
        var batch = new ConsolidationState(context);
        using var parser = new CatalogLineParser(context.FieldNames);
        var staging = new ConsolidationState(context);
        parser.Parse(new System.Buffers.ReadOnlySequence<byte>("""{"partner_id":"a","accommodation_id":"H1","content_type":"hotel"}"""u8.ToArray())).Should().BeNull();
        staging.Add(parser, 0, 1, 0);

        // The message failed half-way: its staging state is dropped instead of merged.
        batch.GroupCount.Should().Be(0);
        Output(batch).Should().BeEmpty();
    }
}

using FluentAssertions;
using NUnit.Framework;
using Pipelines.Catalog.Domain;

namespace Pipelines.Tests.CatalogConsolidator.Domain;

public class GroupIndexTests
{
    [Test]
    public void Finds_each_key_again_after_the_table_has_grown_many_times()
    {
        var index = new GroupIndex();
        var ids = Enumerable.Range(0, 50_000).Select(i => $"H{i}").ToArray();

        var numbers = ids.Select(id => index.FindOrAdd("hotel", id, out _)).ToArray();
        var again = ids.Select(id => (Number: index.FindOrAdd("hotel", id, out var added), added)).ToArray();

        numbers.Should().Equal(Enumerable.Range(0, ids.Length));
        again.Should().OnlyContain(a => !a.added);
        again.Select(a => a.Number).Should().Equal(numbers);
        index.AccommodationIdOf(49_999).ToString().Should().Be("H49999");
        index.Count.Should().Be(50_000);
    }

    [Test]
    public void The_same_id_under_two_content_types_is_two_groups_and_content_types_match_by_value()
    {
        var index = new GroupIndex();

        var hotel = index.FindOrAdd("hotel", "A1", out _);
        var apartment = index.FindOrAdd("apartment", "A1", out _);
        var hotelAgain = index.FindOrAdd(new string("hotel".AsSpan()), "A1", out var added);

        apartment.Should().NotBe(hotel);
        hotelAgain.Should().Be(hotel);
        added.Should().BeFalse("an equal content type in another string instance is the same content type");
        index.ContentTypes.Should().Equal("hotel", "apartment");
        index.ContentTypeIdOf(apartment).Should().Be(1);
    }

    [Test]
    public void Ids_are_compared_exactly_including_case_unicode_and_nul_characters()
    {
        var index = new GroupIndex();
        string[] ids = ["a", "A", "é", "e\u0301", "nul\0", "nul", "", " "];

        var numbers = ids.Select(id => index.FindOrAdd("hotel", id, out _)).ToArray();

        numbers.Should().OnlyHaveUniqueItems();
        ids.Select(id => index.FindOrAdd("hotel", id, out _)).Should().Equal(numbers);
        numbers.Select(n => index.AccommodationIdOf(n).ToString()).Should().Equal(ids);
    }

    [Test]
    public void Long_and_non_ascii_ids_with_equal_heads_are_told_apart_and_kept_exactly()
    {
        var index = new GroupIndex();
        var longId = new string('x', 300_000);
        string[] ids =
        [
            "VERY-LONG-COMMON-PREFIX-1", "VERY-LONG-COMMON-PREFIX-10", "VERY-LONG-COMMON-PREFIX-2", "ABCDEFGHIJKLMNOP", "ABCDEFGHIJKLMNOPQ",
            "ABCDEFGHIJKLMNOPé", "ABCDEFGHIJKLMNOPè", "日本-1", "日本-2", "日本-1 ", "é1", "è1", "😀", "😁", longId, longId + "y", "A\0", "A\0\0",
        ];

        var numbers = ids.Select(id => index.FindOrAdd("hotel", id, out _)).ToArray();

        numbers.Should().Equal(Enumerable.Range(0, ids.Length));
        ids.Select(id => index.FindOrAdd("hotel", id, out var added) + (added ? 1000 : 0)).Should().Equal(numbers, "every id is found again, none added");
        numbers.Select(n => index.AccommodationIdOf(n).ToString()).Should().Equal(ids);
        index.IdHeadOf(3).Should().Be(index.IdHeadOf(4), "16 equal characters make equal heads; the rest tells them apart");
    }

    [Test]
    public void Truncating_also_forgets_the_ids_so_new_ones_are_stored_where_they_were()
    {
        var index = new GroupIndex();
        for (var i = 0; i < 20_000; i++) index.FindOrAdd("hotel", $"KEEP-{i}-{new string('k', i % 40)}", out _);
        var kept = index.Count;
        for (var i = 0; i < 20_000; i++) index.FindOrAdd("hotel", $"DROP-{i}-{new string('d', i % 40)}", out _);

        index.Truncate(kept);
        for (var i = 0; i < 5_000; i++) index.FindOrAdd("hostel", $"NEW-{i}", out _);

        for (var i = 0; i < 20_000; i++) index.AccommodationIdOf(i).ToString().Should().Be($"KEEP-{i}-{new string('k', i % 40)}");
        for (var i = 0; i < 5_000; i++) index.AccommodationIdOf(kept + i).ToString().Should().Be($"NEW-{i}");
        index.FindOrAdd("hotel", "DROP-7-ddddddd", out var added).Should().Be(kept + 5_000);
        added.Should().BeTrue("a forgotten key is new again");
    }

    [Test]
    public void Truncating_forgets_the_last_keys_and_keeps_finding_the_others()
    {
        var index = new GroupIndex();
        for (var i = 0; i < 3_000; i++) index.FindOrAdd(i % 2 == 0 ? "hotel" : "hostel", $"H{i}", out _);

        index.Truncate(1_000);

        index.Count.Should().Be(1_000);
        for (var i = 0; i < 1_000; i++) index.FindOrAdd(i % 2 == 0 ? "hotel" : "hostel", $"H{i}", out var added).Should().Be(i, because: "kept keys keep their numbers ({0})", added);
        index.FindOrAdd("hotel", "H2000", out var readded).Should().Be(1_000);
        readded.Should().BeTrue();
    }
}

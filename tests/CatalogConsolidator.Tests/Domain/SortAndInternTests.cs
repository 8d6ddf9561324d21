using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Catalog.Domain;

namespace Pipelines.Tests.CatalogConsolidator.Domain;

/// <summary>The shortcuts taken per line and per accommodation must agree with the plain definitions they replace.</summary>
public class SortAndInternTests
{
    private static readonly string[] Ids =
    [
        "", " ", "A", "a", "A\0", "A\0B", "AB", "CASA-00079502", "CASA-00079503", "CASA-0007950", "GLOB-1",
        "VERY-LONG-COMMON-PREFIX-1", "VERY-LONG-COMMON-PREFIX-10", "VERY-LONG-COMMON-PREFIX-2", "ABCDEFGHIJKLMNOP", "ABCDEFGHIJKLMNOPQ",
        "ABCDEFGHIJKLMNOPé", "\u007f", "\u0080", "é", "\u00ff", "\u0100", "日本-1", "日本-2", "😀", "\uffff", "Zé", "Z\u007f",
    ];

    [Test]
    public void Id_heads_never_order_two_ids_against_ordinal_order()
    {
        foreach (var a in Ids)
        {
            foreach (var b in Ids)
            {
                var (a0, a1, _) = IdHead.Of(a);
                var (b0, b1, _) = IdHead.Of(b);
                var byHead = a0 != b0 ? a0.CompareTo(b0) : a1.CompareTo(b1);
                if (byHead != 0) Math.Sign(byHead).Should().Be(Math.Sign(string.CompareOrdinal(a, b)), $"heads of \"{a}\" and \"{b}\"");
            }
        }
    }

    [Test]
    public void The_vector_head_equals_the_character_by_character_head_and_is_exact_only_for_short_ascii_ids()
    {
        string[] more = ["0123456789ABCDEF", "0123456789ABCDEé", "é123456789ABCDEF", "0123456789ABCDEF0", "\u007f\u007f", "x\u0080", "CASA-0007950\0"];
        foreach (var id in Ids.Concat(more))
        {
            IdHead.Of(id).Should().Be(IdHead.OfScalar(id), $"\"{id}\"");
            IdHead.Of(id).Exact.Should().Be(id.Length <= 16 && id.All(c => c < 0x80), $"\"{id}\"");
        }
    }

    [Test]
    public void The_output_lists_ids_in_ordinal_order_also_when_heads_are_equal()
    {
        // Within one content type and day; ids longer than the head, sharing prefixes, non-ASCII, NUL, surrogates.
        var random = new Random(8);
        var ids = Ids.Where(id => !string.IsNullOrWhiteSpace(id))
            .Concat(Enumerable.Range(0, 300).Select(_ => RandomId(random)))
            .Distinct(StringComparer.Ordinal).ToArray();
        var shuffled = ids.ToArray();
        random.Shuffle(shuffled);
        // Half written as raw UTF-8 (the byte scanner reads them), half with \u escapes (the reader unescapes them).
        var lines = shuffled.Select((id, i) => $$"""{"partner_id":"p","accommodation_id":"{{JsonEncodedText.Encode(id, i % 2 == 0 ? JavaScriptEncoder.UnsafeRelaxedJsonEscaping : JavaScriptEncoder.Default)}}","content_type":"hotel"}""").ToArray();

        var state = ConsolidationHarness.Consolidate(PartnerPriorityBook.Empty, new TestObject("in/a.jsonl", 0, lines));
        var written = ConsolidationHarness.Output(state).Select(r => r.GetProperty("accommodation_id").GetString()!).ToList();

        written.Should().Equal(ids.Order(StringComparer.Ordinal));
    }

    private static readonly string[] NonAscii = ["é", "😀", "\uffff", "\u0080", "\ue000"];

    private static string RandomId(Random random)
    {
        string[] prefixes = ["VERY-LONG-COMMON-PREFIX-", "ABCDEFGHIJKLMNOP", "日本-", "A", "Z\0", "é", "\uffff", "😀", "\ud7ff"];
        var id = new StringBuilder(prefixes[random.Next(prefixes.Length)]);
        var tail = random.Next(0, 6);
        for (var i = 0; i < tail; i++)
        {
            switch (random.Next(4))
            {
                case 0: id.Append((char)random.Next('0', '9' + 1)); break;
                case 1: id.Append(NonAscii[random.Next(NonAscii.Length)]); break;
                case 2: id.Append('\0'); break;
                default: id.Append((char)random.Next('A', 'Z' + 1)); break;
            }
        }
        return id.ToString();
    }

    [Test]
    public void The_interner_gives_one_shared_string_per_value_also_when_values_alternate()
    {
        var interner = new Utf8StringInterner();
        string[] values = ["hotel", "apartment", "hostel", "hôtel", "villa", "hotel", "", "apartment", "globetrek", "hostel"];

        var first = values.Select(v => interner.Intern(Encoding.UTF8.GetBytes(v))).ToArray();
        var second = values.Select(v => interner.Intern(Encoding.UTF8.GetBytes(v))).ToArray();

        first.Should().Equal(values);
        second.Should().Equal(values);
        for (var i = 0; i < values.Length; i++)
        {
            ReferenceEquals(first[i], second[i]).Should().BeTrue($"\"{values[i]}\" is shared");
            ReferenceEquals(first[i], first[Array.IndexOf(values, values[i])]).Should().BeTrue();
        }
    }
}

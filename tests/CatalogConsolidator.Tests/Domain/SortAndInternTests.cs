using System.Text;
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
                var (a0, a1) = OutputSpooler.IdHead(a);
                var (b0, b1) = OutputSpooler.IdHead(b);
                var byHead = a0 != b0 ? a0.CompareTo(b0) : a1.CompareTo(b1);
                if (byHead != 0) Math.Sign(byHead).Should().Be(Math.Sign(string.CompareOrdinal(a, b)), $"heads of \"{a}\" and \"{b}\"");
            }
        }
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

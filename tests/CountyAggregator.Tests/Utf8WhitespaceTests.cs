using System.Text;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Counties.Domain;

namespace Pipelines.Tests.CountyAggregator;

public class Utf8WhitespaceTests
{
    [Test]
    public void Trimming_utf8_removes_exactly_what_string_trim_removes_for_every_bmp_character()
    {
        var mismatches = new List<int>();
        for (var c = 0; c <= 0xFFFF; c++)
        {
            if (char.IsSurrogate((char)c)) continue;
            var text = $"{(char)c}{(char)c}Ulster{(char)c}";

            var trimmed = Encoding.UTF8.GetString(Utf8Whitespace.Trim(Encoding.UTF8.GetBytes(text)));

            if (trimmed != text.Trim()) mismatches.Add(c);
        }

        mismatches.Should().BeEmpty();
    }

    [TestCase("")]
    [TestCase(" \t\r\n ")]
    [TestCase("\u00a0\u2028\u3000")]
    public void Nothing_but_whitespace_trims_to_empty(string text)
    {
        Utf8Whitespace.Trim(Encoding.UTF8.GetBytes(text)).IsEmpty.Should().BeTrue();
    }

    [Test]
    public void Characters_outside_the_bmp_are_kept()
    {
        var text = " \U0001F332 Pines \U0001F332 ";

        Encoding.UTF8.GetString(Utf8Whitespace.Trim(Encoding.UTF8.GetBytes(text))).Should().Be("\U0001F332 Pines \U0001F332");
    }
}

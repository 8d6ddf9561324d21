using System.Globalization;
using System.Text;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Counties.Domain;
using Pipelines.Shared.Text;

namespace Pipelines.Tests.CountyAggregator;

/// <summary>The byte-level timestamp check must agree with <see cref="Iso8601.TryParseWithOffset"/> on every input.</summary>
public class RowTimestampTests
{
    [TestCase("2024-05-01T12:00:00Z", true)]
    [TestCase("2024-05-01T12:00:00.123Z", true)]
    [TestCase("2024-05-01T12:00:00.1234567-03:30", true)]
    [TestCase("2024-02-29T00:00:00+14:00", true)]
    [TestCase("2023-02-29T00:00:00Z", false)]
    [TestCase("2024-05-01T12:00:00", false)]
    [TestCase("2024-05-01T24:00:00Z", false)]
    [TestCase("2024-05-01T12:00:00.Z", true)] // FFFFFFF makes the point optional too; decided by Iso8601 itself
    [TestCase("2024-05-01T12:00:00+15:00", false)]
    [TestCase("2024-05-01 12:00:00Z", false)]
    [TestCase("yesterday", false)]
    public void Agrees_with_the_shared_iso8601_contract(string text, bool expected)
    {
        Iso8601.TryParseWithOffset(text, out _).Should().Be(expected, "the case table itself must match the contract");
        RowTimestamp.IsValid(Encoding.UTF8.GetBytes(text)).Should().Be(expected);
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void Random_near_miss_timestamps_get_the_contracts_answer(int seed)
    {
        var random = new Random(seed);
        var disagreements = new List<string>();
        var fastAccepted = 0;
        for (var i = 0; i < 20_000; i++)
        {
            var text = random.Next(3) == 0 ? Mutate(random, Candidate(random)) : Candidate(random);
            var utf8 = Encoding.UTF8.GetBytes(text);
            var expected = Iso8601.TryParseWithOffset(text, out _);
            var plain = RowTimestamp.IsPlainValidInstant(utf8);
            if (plain) fastAccepted++;
            // The byte-level check may only ever say "valid" when the contract does.
            if (RowTimestamp.IsValid(utf8) != expected || (plain && !expected)) disagreements.Add(text);
        }

        disagreements.Should().BeEmpty();
        fastAccepted.Should().BeGreaterThan(2_000, "most generated timestamps are valid and take the byte-level path");
    }

    private static string Candidate(Random random)
    {
        var fraction = random.Next(10) switch
        {
            0 => "",
            1 => ".",
            _ => "." + string.Concat(Enumerable.Range(0, random.Next(1, 10)).Select(_ => (char)('0' + random.Next(10)))),
        };
        string[] zones = ["Z", "Z", "+05:30", "-00:00", "+14:00", "-14:01", "+13:59", "+15:00", "+05:60", "", "z", "+0530", " Z", "+5:30", "Zx"];
        var zone = zones[random.Next(zones.Length)];
        var year = random.Next(10) == 0 ? random.Next(0, 10_000) : random.Next(1990, 2100);
        return string.Create(CultureInfo.InvariantCulture,
            $"{year:D4}-{random.Next(0, 14):D2}-{random.Next(0, 33):D2}T{random.Next(0, 26):D2}:{random.Next(0, 62):D2}:{random.Next(0, 62):D2}{fraction}{zone}");
    }

    private static string Mutate(Random random, string text)
    {
        const string Alphabet = "0123456789-:.TZ+ tz\u00e9\u0660";
        var chars = text.ToList();
        var at = random.Next(chars.Count + 1);
        switch (random.Next(3))
        {
            case 0 when at < chars.Count: chars.RemoveAt(at); break;
            case 1 when at < chars.Count: chars[at] = Alphabet[random.Next(Alphabet.Length)]; break;
            default: chars.Insert(at, Alphabet[random.Next(Alphabet.Length)]); break;
        }
        return new string([.. chars]);
    }
}

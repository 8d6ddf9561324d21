using System.Globalization;
using System.Text;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Shared.Text;

namespace Pipelines.Tests.Shared.Text;

/// <summary>The byte-level check must agree with <see cref="Iso8601.TryParseWithOffset"/> on every input.</summary>
public class Iso8601Utf8ValidationTests
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
        Iso8601.IsValidWithOffset(Encoding.UTF8.GetBytes(text)).Should().Be(expected);
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
            var plain = Iso8601.IsPlainValidInstant(utf8);
            if (plain) fastAccepted++;
            // The byte-level check may only ever say "valid" when the contract does.
            if (Iso8601.IsValidWithOffset(utf8) != expected || (plain && !expected)) disagreements.Add(text);
        }

        disagreements.Should().BeEmpty();
        fastAccepted.Should().BeGreaterThan(2_000, "most generated timestamps are valid and take the byte-level path");
    }

    [Test]
    public void The_utf8_fast_path_accepts_only_what_the_shared_iso8601_rule_accepts_and_the_rule_is_unchanged()
    {
        string[] years = ["0001", "0002", "1999", "2024", "2023", "9998", "9999"];
        string[] months = ["00", "01", "02", "04", "12", "13"];
        string[] days = ["00", "01", "28", "29", "30", "31", "32"];
        string[] times = ["00:00:00", "23:59:59", "24:00:00", "12:60:00", "12:00:60", "1a:00:00"];
        string[] fractions = ["", ".", ".5", ".1234567", ".12345678", ".0000000", ".5x"];
        string[] zones = ["Z", "z", "+00:00", "-14:00", "+14:00", "+14:01", "+13:59", "-00:60", "+0530", "+05", "", " Z", "Z "];
        var checkedCount = 0;
        foreach (var year in years)
        foreach (var month in months)
        foreach (var day in days)
        foreach (var time in times)
        foreach (var fraction in fractions)
        foreach (var zone in zones)
        {
            var text = $"{year}-{month}-{day}T{time}{fraction}{zone}";
            var utf8 = Encoding.UTF8.GetBytes(text);
            var shared = Iso8601.TryParseWithOffset(text, out _);

            if (Iso8601.IsPlainValidInstant(utf8) && !shared) Assert.Fail($"fast path accepts '{text}', which the shared rule refuses");
            if (Iso8601.IsValidWithOffset(utf8) != shared) Assert.Fail($"'{text}': {!shared} here, {shared} by the shared rule");
            checkedCount++;
        }

        checkedCount.Should().BeGreaterThan(100_000);
    }

    [TestCase("2023-10-27T10:00:00Z")]
    [TestCase("2023-10-28T08:15:30.250+02:00")]
    [TestCase("2024-02-29T23:59:59.1234567-07:30")]
    public void The_shapes_producers_send_take_the_fast_path(string date)
    {
        Iso8601.IsPlainValidInstant(Encoding.UTF8.GetBytes(date)).Should().BeTrue();
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

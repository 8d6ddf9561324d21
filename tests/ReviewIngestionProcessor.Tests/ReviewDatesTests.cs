using System.Text;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Reviews.Domain;
using Pipelines.Shared.Text;

namespace Pipelines.Tests.ReviewIngestionProcessor;

public class ReviewDatesTests
{
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

            if (ReviewDates.IsCommonValidShape(utf8) && !shared) Assert.Fail($"fast path accepts '{text}', which the shared rule refuses");
            if (ReviewDates.IsValid(utf8) != shared) Assert.Fail($"'{text}': {!shared} here, {shared} by the shared rule");
            checkedCount++;
        }

        checkedCount.Should().BeGreaterThan(100_000);
    }

    [TestCase("2023-10-27T10:00:00Z")]
    [TestCase("2023-10-28T08:15:30.250+02:00")]
    [TestCase("2024-02-29T23:59:59.1234567-07:30")]
    public void The_shapes_producers_send_take_the_fast_path(string date)
    {
        ReviewDates.IsCommonValidShape(Encoding.UTF8.GetBytes(date)).Should().BeTrue();
    }
}

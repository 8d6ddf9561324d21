using System.Text;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Shared.Text;

namespace Pipelines.Tests.Shared.Text;

[TestFixture]
public sealed class Iso8601Utf8Tests
{
    [Test]
    public void Utf8_text_is_what_the_string_formatter_writes_across_the_whole_range()
    {
        var random = new Random(8);
        var instants = new List<DateTimeOffset>
        {
            DateTimeOffset.MinValue,
            DateTimeOffset.MaxValue,
            DateTimeOffset.UnixEpoch,
            new(2024, 2, 29, 23, 59, 59, 999, TimeSpan.Zero),
            new(2024, 3, 1, 1, 0, 0, 5, TimeSpan.FromHours(5)), // the day before in UTC
            new DateTimeOffset(2024, 3, 7, 23, 30, 0, TimeSpan.Zero).AddTicks(9_999), // finer than a millisecond: truncated
        };
        for (var i = 0; i < 20_000; i++)
            instants.Add(DateTimeOffset.FromUnixTimeMilliseconds(random.NextInt64(-62_135_596_800_000, 253_402_300_800_000)));

        var buffer = new byte[Iso8601.UtcMillisLength + 8];
        foreach (var instant in instants)
        {
            var expected = Iso8601.FormatUtcMillis(instant);
            Encoding.ASCII.GetString(Iso8601.FormatUtcMillis(instant, buffer)).Should().Be(expected);
            Encoding.ASCII.GetString(Iso8601.FormatUtcMillis(instant.UtcDateTime, buffer)).Should().Be(expected);
        }
    }
}

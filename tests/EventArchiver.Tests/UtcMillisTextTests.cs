using System.Text;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Events.Domain;
using Pipelines.Shared.Text;

namespace Pipelines.Tests.EventArchiver;

public class UtcMillisTextTests
{
    [Test]
    public void Writes_what_the_shared_ISO_8601_formatter_writes()
    {
        var random = new Random(7);
        var instants = new List<DateTimeOffset>
        {
            DateTimeOffset.UnixEpoch,
            new(2024, 2, 29, 23, 59, 59, 999, TimeSpan.Zero),
            new(2024, 3, 1, 1, 0, 0, 5, TimeSpan.FromHours(5)), // the day before in UTC
            DateTimeOffset.MaxValue,
        };
        for (var i = 0; i < 2000; i++) instants.Add(DateTimeOffset.UnixEpoch.AddTicks((long)(random.NextDouble() * (DateTimeOffset.MaxValue - DateTimeOffset.UnixEpoch).Ticks)));

        var buffer = new byte[24];
        foreach (var instant in instants)
            Encoding.UTF8.GetString(UtcMillisText.Format(instant, buffer)).Should().Be(Iso8601.FormatUtcMillis(instant));
    }
}

using System.Text;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Orders.Cdc.Domain;
using Pipelines.Shared.Text;

namespace Pipelines.Tests.OrdersCdcPublisher.Transcoding;

public class CdcTimestampTests
{
    [Test]
    public void Writes_what_Iso8601_FormatUtcMillis_writes_across_the_whole_range()
    {
        var random = new Random(8);
        var instants = new List<DateTimeOffset> { DateTimeOffset.MinValue, DateTimeOffset.MaxValue, DateTimeOffset.UnixEpoch, new(2024, 3, 7, 23, 30, 0, 250, TimeSpan.Zero) };
        for (var i = 0; i < 20_000; i++)
            instants.Add(DateTimeOffset.FromUnixTimeMilliseconds(random.NextInt64(-62_135_596_800_000, 253_402_300_800_000)));
        instants.Add(new DateTimeOffset(2024, 3, 7, 23, 30, 0, TimeSpan.Zero).AddTicks(9_999)); // finer than a millisecond: truncated

        var text = new byte[CdcTimestamp.Length];
        foreach (var instant in instants)
        {
            CdcTimestamp.Write(instant.UtcDateTime, text);
            Encoding.ASCII.GetString(text).Should().Be(Iso8601.FormatUtcMillis(instant));
        }
    }
}

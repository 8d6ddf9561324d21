using System.Text;
using System.Text.Json;
using FluentAssertions;
using Pipelines.Events.Domain;

namespace Pipelines.Tests.EventArchiver.Support;

/// <summary>
/// Checks one payload against both parser paths: the compact scanner either declines it or finds exactly what the
/// reader's Scan finds, and Parse gives the same answer with the scanner tried first as with the reader alone.
/// </summary>
internal static class ScannerAgreement
{
    /// <returns>Whether the compact scanner handled the payload.</returns>
    public static bool Check(byte[] payload)
    {
        var because = Describe(payload);
        var handled = CompactEventScanner.TryScan(payload, out var fast);
        if (handled)
        {
            EventTopLevel expected = default;
            var scan = () => expected = EventLineTranscoder.Scan(payload);
            scan.Should().NotThrow<JsonException>("the scanner accepted it, so it must be JSON: {0}", because);
            fast.Should().Be(expected, because);
            // Equal decimals can differ in scale (1.5 vs 1.50); the reader's exact value is what the scanner owes.
            decimal.GetBits(fast.CreatedAt.Decimal).Should().Equal(decimal.GetBits(expected.CreatedAt.Decimal), because);
            decimal.GetBits(fast.Uuid.Decimal).Should().Equal(decimal.GetBits(expected.Uuid.Decimal), because);
            decimal.GetBits(fast.Name.Decimal).Should().Equal(decimal.GetBits(expected.Name.Decimal), because);
        }

        var withScanner = EventParser.Parse(payload, null, compactScanFirst: true);
        var readerOnly = EventParser.Parse(payload, null, compactScanFirst: false);
        withScanner.Reason.Should().Be(readerOnly.Reason, because);
        if (readerOnly.Event is { } old)
        {
            var parsed = withScanner.Event!;
            parsed.UuidKey.Should().Be(old.UuidKey, because);
            parsed.EventType.Should().Be(old.EventType, because);
            parsed.EventSubtype.Should().Be(old.EventSubtype, because);
            parsed.CreatedDate.Should().Be(old.CreatedDate, because);
            parsed.Line.ToArray().Should().Equal(old.Line.ToArray(), because);
        }
        return handled;
    }

    public static string Describe(byte[] payload) =>
        Encoding.UTF8.GetString(payload).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\r", StringComparison.Ordinal);
}

namespace Pipelines.Events.Domain;

/// <summary>
/// created_datetime as Iso8601.FormatUtcMillis writes it (UTC, exactly three fraction digits, e.g.
/// 2024-03-01T12:00:00.250Z), straight into UTF-8: a string per record only to copy it into the line was not needed.
/// </summary>
internal static class UtcMillisText
{
    /// <param name="destination">At least 24 bytes; the text is written at its start.</param>
    public static ReadOnlySpan<byte> Format(DateTimeOffset instant, Span<byte> destination)
    {
        var utc = instant.UtcDateTime;
        Digits(destination[..4], utc.Year);
        destination[4] = (byte)'-';
        Digits(destination.Slice(5, 2), utc.Month);
        destination[7] = (byte)'-';
        Digits(destination.Slice(8, 2), utc.Day);
        destination[10] = (byte)'T';
        Digits(destination.Slice(11, 2), utc.Hour);
        destination[13] = (byte)':';
        Digits(destination.Slice(14, 2), utc.Minute);
        destination[16] = (byte)':';
        Digits(destination.Slice(17, 2), utc.Second);
        destination[19] = (byte)'.';
        Digits(destination.Slice(20, 3), utc.Millisecond);
        destination[23] = (byte)'Z';
        return destination[..24];
    }

    private static void Digits(Span<byte> destination, int value)
    {
        for (var i = destination.Length - 1; i >= 0; i--, value /= 10) destination[i] = (byte)('0' + value % 10);
    }
}

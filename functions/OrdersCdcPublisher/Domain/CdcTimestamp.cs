namespace Pipelines.Orders.Cdc.Domain;

/// <summary>
/// cdc_timestamp's text as Iso8601.FormatUtcMillis writes it ("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"), put straight into UTF-8
/// digits: the culture-aware custom-format path cost more than the rest of the record's trailer.
/// </summary>
internal static class CdcTimestamp
{
    public const int Length = 24;

    /// <summary>Writes <paramref name="utc"/> (whole milliseconds or finer, truncated as "fff" does) to the first 24 bytes.</summary>
    public static void Write(DateTime utc, Span<byte> destination)
    {
        var text = destination[..Length];
        Digits(text[..4], utc.Year);
        text[4] = (byte)'-';
        Digits(text.Slice(5, 2), utc.Month);
        text[7] = (byte)'-';
        Digits(text.Slice(8, 2), utc.Day);
        text[10] = (byte)'T';
        Digits(text.Slice(11, 2), utc.Hour);
        text[13] = (byte)':';
        Digits(text.Slice(14, 2), utc.Minute);
        text[16] = (byte)':';
        Digits(text.Slice(17, 2), utc.Second);
        text[19] = (byte)'.';
        Digits(text.Slice(20, 3), utc.Millisecond);
        text[23] = (byte)'Z';
    }

    /// <summary>The value's last <c>digits.Length</c> decimal digits, zero-padded.</summary>
    private static void Digits(Span<byte> digits, int value)
    {
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            digits[i] = (byte)('0' + value % 10);
            value /= 10;
        }
    }
}

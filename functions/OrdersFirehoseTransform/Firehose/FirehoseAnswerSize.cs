using System.Buffers;
using Pipelines.Shared.Text;

namespace Pipelines.Orders.Transform.Firehose;

/// <summary>
/// The exact bytes each part of the response takes as <see cref="FirehoseResponseWriter"/> writes it, computed
/// instead of serialized: fixed member names and punctuation, base64 of n bytes is 4*ceil(n/3) characters
/// (never escaped), and a string value is its UTF-8 length unless it has characters JSON escaping lengthens.
/// </summary>
internal static class FirehoseAnswerSize
{
    /// <summary><c>{"records":[]}</c>; each answer after the first adds a comma.</summary>
    public static readonly int Envelope = """{"records":[]}"""u8.Length;

    // Member names and punctuation of each answer kind, with empty values (the year is always 4 digits: D4 of 1-9999).
    private static readonly int OkFixed =
        """{"recordId":"","result":"Ok","data":"","metadata":{"partitionKeys":{"year":"0000","month":"00","day":"00"}}}"""u8.Length;
    private static readonly int ProcessingFailedFixed = """{"recordId":"","result":"ProcessingFailed","data":""}"""u8.Length;

    // Characters the default encoder writes as they are; anything else may be escaped and is measured.
    private static readonly SearchValues<byte> Unescaped =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.:/= "u8);

    /// <param name="recordIdLength">The recordId's <see cref="JsonString"/> length.</param>
    public static long Ok(int recordIdLength, int lineBytes) => OkFixed + recordIdLength + Base64Length(lineBytes);

    /// <param name="recordIdLength">The recordId's <see cref="JsonString"/> length.</param>
    /// <param name="dataLength">The echoed data's <see cref="JsonString"/> length (0 for the minimal answer).</param>
    public static long ProcessingFailed(int recordIdLength, int dataLength) => ProcessingFailedFixed + recordIdLength + dataLength;

    /// <summary>Bytes between the quotes when <paramref name="utf8"/> is written as a JSON string.</summary>
    public static int JsonString(ReadOnlySpan<byte> utf8) => utf8.ContainsAnyExcept(Unescaped) ? Measure(utf8) : utf8.Length;

    private static long Base64Length(int bytes) => 4L * ((bytes + 2L) / 3);

    // Rare (escapes, non-ASCII, '+' in echoed base64): let the same writer settings say how long the escaped form is.
    private static int Measure(ReadOnlySpan<byte> utf8)
    {
        var writer = ReusableJsonWriter.Start(FirehoseResponseWriter.Options, out var buffer);
        writer.WriteStringValue(utf8);
        writer.Flush();
        return buffer.WrittenCount - 2;
    }
}

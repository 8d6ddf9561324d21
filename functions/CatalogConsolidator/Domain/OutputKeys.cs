using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Pipelines.Catalog.Domain;

/// <summary>
/// Object keys in the output bucket. Every key is derived from the SQS messages involved (never from the clock
/// alone), so redelivering the same messages overwrites the same objects instead of adding duplicates.
/// </summary>
internal static class OutputKeys
{
    public static string Partition(DateOnly date) =>
        string.Create(CultureInfo.InvariantCulture, $"year={date.Year:D4}/month={date.Month:D2}/day={date.Day:D2}/");

    /// <summary><c>year=YYYY/month=MM/day=DD/output_object-&lt;microseconds&gt;-&lt;batch hash&gt;-p&lt;part&gt;.jsonl</c>.</summary>
    public static string Output(DateOnly date, long microseconds, string batchHash, int part) =>
        Partition(date) + string.Create(CultureInfo.InvariantCulture, $"output_object-{microseconds}-{batchHash}-p{part:D4}.jsonl");

    /// <summary>Bad lines of one S3 record of one message.</summary>
    public static string RejectedLines(DateOnly date, string messageId, int recordIndex) =>
        "rejected/" + Partition(date) + string.Create(CultureInfo.InvariantCulture, $"lines-{Safe(messageId)}-{recordIndex}.jsonl");

    /// <summary>A message whose body is not an S3 event notification.</summary>
    public static string RejectedMessage(DateOnly date, string messageId) =>
        "rejected/" + Partition(date) + $"message-{Safe(messageId)}.jsonl";

    /// <summary>16 hex digits of SHA-256 over the sorted message ids: the same messages give the same name in any order.</summary>
    public static string BatchHash(IEnumerable<string> messageIds)
    {
        ArgumentNullException.ThrowIfNull(messageIds);
        var sorted = messageIds.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', sorted)));
        return Convert.ToHexStringLower(digest.AsSpan(0, 8));
    }

    /// <summary>Message ids are UUIDs on AWS; anything else is made key-safe.</summary>
    private static string Safe(string messageId)
    {
        var sb = new StringBuilder(messageId.Length);
        foreach (var c in messageId) sb.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        return sb.ToString();
    }
}

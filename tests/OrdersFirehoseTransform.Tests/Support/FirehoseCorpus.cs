using System.Text;
using System.Text.Json;

namespace Pipelines.Tests.OrdersFirehoseTransform.Support;

/// <summary>
/// Hand-written Firehose transformation events for equivalence tests: records are JSON text, so recordIds and data can
/// carry JSON escapes exactly as a sender might write them.
/// </summary>
internal static class FirehoseCorpus
{
    public const string Cdc =
        """{"orderid":"7f3c","product_name":"Kindle Paperwhite","quantity":2,"price":19.99,"creation_datetime":"2024-03-07T23:30:00Z","customer":{"id":"c-1"},"tags":["gift"],"cdc_event_type":"INSERT","cdc_timestamp":"2024-03-07T23:30:01.000Z","cdc_sequence_number":"111","cdc_ttl_expired":false}""";

    /// <summary>A CDC record with <paramref name="from"/> replaced by <paramref name="to"/> (ordinal).</summary>
    public static string CdcWith(string from, string to) => Cdc.Replace(from, to, StringComparison.Ordinal);

    /// <summary>A JSON string literal holding the base64 of <paramref name="utf8"/>.</summary>
    public static string Base64Literal(byte[] utf8) => JsonSerializer.Serialize(Convert.ToBase64String(utf8));

    public static string Base64Literal(string text) => Base64Literal(Encoding.UTF8.GetBytes(text));

    /// <summary>One record object; null members are left out. Both arguments are JSON text (a literal, null, a number...).</summary>
    public static string Record(string? recordIdJson, string? dataJson, string extraMembers = "")
    {
        var members = new List<string>();
        if (recordIdJson is not null) members.Add($"\"recordId\":{recordIdJson}");
        members.Add("\"approximateArrivalTimestamp\":1709854201000");
        if (dataJson is not null) members.Add($"\"data\":{dataJson}");
        if (extraMembers.Length > 0) members.Add(extraMembers);
        return "{" + string.Join(",", members) + "}";
    }

    /// <summary>The Kinesis-source shape: sourceKinesisStreamArn plus kinesisRecordMetadata per record.</summary>
    public static string KinesisSourceMetadata(int i) =>
        $$"""
        "kinesisRecordMetadata":{"shardId":"shardId-000000000000","partitionKey":"pk-{{i}}","approximateArrivalTimestamp":1709854201000,"sequenceNumber":"4954698668313554428650745793632162567570019247115678{{i:D4}}","subsequenceNumber":""}
        """;

    public static string KinesisSourceEvent(IEnumerable<string> records) =>
        $$"""{"invocationId":"inv-1","sourceKinesisStreamArn":"arn:aws:kinesis:us-east-1:123456789012:stream/sales","deliveryStreamArn":"arn:aws:firehose:us-east-1:123456789012:deliverystream/orders-to-s3","region":"us-east-1","records":[{{string.Join(",", records)}}]}""";

    /// <summary>The direct-PUT shape: no sourceKinesisStreamArn and no kinesisRecordMetadata.</summary>
    public static string DirectPutEvent(IEnumerable<string> records) =>
        $$"""{"invocationId":"inv-2","deliveryStreamArn":"arn:aws:firehose:us-east-1:123456789012:deliverystream/orders-to-s3","region":"us-east-1","records":[{{string.Join(",", records)}}]}""";

    /// <summary>CDC payloads (as JSON text) covering valid lines, unicode, escapes and every kind of malformed record.</summary>
    public static IEnumerable<string> CdcPayloads()
    {
        yield return Cdc;
        yield return CdcWith("INSERT", "MODIFY");
        yield return CdcWith("INSERT", "REMOVE");
        yield return CdcWith("Kindle Paperwhite", "Café \\\"Crème\\\" ☕");
        yield return CdcWith("Kindle Paperwhite", "emoji 😀 and \\ud83d\\ude00 and \\u00e9");
        yield return CdcWith("Kindle Paperwhite", "<b>&'`+ / \\\\ \\n\\t\\u0001 \\u2028\\u2029 \\u007f");
        yield return CdcWith("Kindle Paperwhite", new string('x', 5000));
        yield return CdcWith("\"orderid\":\"7f3c\"", "\"orderid\":\"\\u0037f3c\"");
        yield return CdcWith("\"product_name\"", "\"product\\u005fname\"");
        yield return CdcWith("2024-03-07T23:30:00Z", "2024-03-07T23:30:00-05:00");
        yield return CdcWith("2024-03-07T23:30:00Z", "2024-01-01T00:30:00+02:00");
        yield return CdcWith("2024-03-07T23:30:00Z", "2024-02-29");
        yield return CdcWith("2024-03-07T23:30:00Z", "2024-12-31 23:59:59.1234567");
        yield return CdcWith("\"price\":19.99", "\"price\":123456789012345678901234567890.10");
        yield return CdcWith("\"quantity\":2", "\"quantity\":2.0e0");
        yield return CdcWith("\"2024-03-07T23:30:01.000Z\"", "null");
        // Repeated members: the later value counts (a later null cdc_timestamp keeps the earlier text, as it always did).
        yield return CdcWith("\"cdc_ttl_expired\":false", "\"cdc_ttl_expired\":false,\"cdc_timestamp\":null,\"product_name\":\"second\"");
        // Malformed: each answered ProcessingFailed with the original data.
        yield return CdcWith("Kindle Paperwhite", "lone \\ud83d surrogate");
        yield return CdcWith("\"customer\"", "\"cust\\ud800omer\"");
        yield return "not json at all";
        yield return "";
        yield return "[1,2]";
        yield return "\"text\"";
        yield return "{\"orderid\":\"a\"";
        yield return Cdc + Cdc;
        yield return Cdc + " // comment";
        yield return CdcWith("\"price\":19.99,", "");
        yield return CdcWith("\"quantity\":2", "\"quantity\":0");
        yield return CdcWith("\"quantity\":2", "\"quantity\":\"2\"");
        yield return CdcWith("\"price\":19.99", "\"price\":-0.01");
        yield return CdcWith("\"orderid\":\"7f3c\"", "\"orderid\":\"\"");
        yield return CdcWith("\"product_name\":\"Kindle Paperwhite\"", "\"product_name\":{\"S\":\"x\"}");
        yield return CdcWith("INSERT", "UPSERT");
        yield return CdcWith("2024-03-07T23:30:00Z", "2024-02-30T00:00:00Z");
        yield return CdcWith("2024-03-07T23:30:00Z", "07/03/2024 and then a long tail of text that goes beyond sixty-four characters");
        yield return CdcWith("\"cdc_timestamp\":\"2024-03-07T23:30:01.000Z\",", "");
    }

    /// <summary>A CDC payload whose bytes are not valid UTF-8 inside a string value.</summary>
    public static byte[] CdcWithInvalidUtf8()
    {
        var text = Encoding.UTF8.GetBytes(CdcWith("Kindle Paperwhite", "BAD?"));
        var at = Array.IndexOf(text, (byte)'?');
        text[at] = 0xFF;
        return text;
    }

    /// <summary>
    /// Base64 of <paramref name="utf8"/> with the last character before the padding changed so its unused bits are not
    /// zero: Convert still decodes it to the same bytes, a strict decoder refuses it.
    /// </summary>
    public static string NonCanonicalBase64(byte[] utf8)
    {
        if (utf8.Length % 3 == 0) throw new ArgumentException("needs padding", nameof(utf8));
        var base64 = Convert.ToBase64String(utf8).ToCharArray();
        var last = Array.IndexOf(base64, '=') - 1;
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        base64[last] = alphabet[alphabet.IndexOf(base64[last], StringComparison.Ordinal) | 1];
        return new string(base64);
    }
}

using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipelines.Orders.Cdc.Domain;

/// <summary>The CDC record's own field names and JSON settings, shared by both ways of building it.</summary>
internal static class CdcFields
{
    public const string OrderId = "orderid";
    public const string EventType = "cdc_event_type";
    public const string Timestamp = "cdc_timestamp";
    public const string SequenceNumber = "cdc_sequence_number";
    public const string TtlExpired = "cdc_ttl_expired";

    /// <summary>Relaxed escaping keeps non-ASCII text as UTF-8; quotes, backslashes and control characters are still escaped.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Our own fields win over item attributes of the same name, so the record never has duplicate keys.
    private static readonly HashSet<string> Reserved = new([EventType, Timestamp, SequenceNumber, TtlExpired, OrderId], StringComparer.Ordinal);

    public static bool IsReserved(string attributeName) => Reserved.Contains(attributeName);

    /// <summary>The same test on an attribute name's UTF-8 bytes (all reserved names are ASCII).</summary>
    public static bool IsReserved(ReadOnlySpan<byte> attributeName) =>
        attributeName.Length is 7 or 13 or 14 or 15 or 19 &&
        (attributeName.SequenceEqual("orderid"u8) || attributeName.SequenceEqual("cdc_event_type"u8) ||
         attributeName.SequenceEqual("cdc_timestamp"u8) || attributeName.SequenceEqual("cdc_sequence_number"u8) ||
         attributeName.SequenceEqual("cdc_ttl_expired"u8));
}

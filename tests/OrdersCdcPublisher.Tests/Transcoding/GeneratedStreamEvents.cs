using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipelines.Tests.OrdersCdcPublisher.Transcoding;

/// <summary>
/// Random DynamoDB stream events in AWS's wire shape (the field order of AWS's samples, or shuffled), covering every
/// attribute type, nested maps and lists, escapes and non-ASCII text, empty strings, exact and extreme numbers,
/// inserts, modifies, user and TTL deletes, KEYS_ONLY and NEW_IMAGE views, second and millisecond timestamps and
/// unknown members. <see cref="Escaping.Relaxed"/> writes non-ASCII as UTF-8 (as Lambda does); <see cref="Escaping.Strict"/>
/// writes it as \uXXXX escapes, names included.
/// </summary>
internal sealed class GeneratedStreamEvents(int seed, GeneratedStreamEvents.Escaping escaping)
{
    public enum Escaping { Relaxed, Strict }

    public static readonly string[] Numbers =
    [
        "0", "-0", "1", "2", "19.99", "149.99", "0.10", "-0.000001", "1E+30", "1e-7", "1E+3", "2.5e-3", "-19",
        "123456789012345678901234567890", "99999999999999999999999999999999999999",
        "-9.9999999999999999999999999999999999999E+125", "0.000000000000000000000000000000000000001", "1722340800",
    ];

    public static readonly string[] Strings =
    [
        "", " ", "plain", "Kindle Paperwhite (16 GB)", "quote \" backslash \\ slash / newline \n tab \t return \r",
        "control \u0001\u001f\u007f", "é ü ß ñ Å", "中文 日本語 한국어", "emoji 😀 👍🏽 🇩🇪", "<script>alert('x')&amp;</script>",
        "line\u2028separator\u2029", "\uFEFFbom", "+-=*%$#@!~`^|", "ends with backslash \\", "2024-03-07T23:29:58Z",
        new string('x', 3000),
    ];

    private static readonly string[] AttributeNames =
    [
        "product_name", "quantity", "price", "customer", "tags", "a", "b", "S", "N", "NULL", "M", "with space", "ünïcödé", "名前",
        "cdc_event_type", "cdc_timestamp", "cdc_sequence_number", "cdc_ttl_expired", "x.y", "",
    ];

    private static readonly string[] UnknownMembers = ["extra", "metadata", "X-Trace", "sizeBytes2"];

    private readonly Random _random = new(seed);
    private readonly JsonWriterOptions _options = new()
    {
        Encoder = escaping == Escaping.Relaxed ? JavaScriptEncoder.UnsafeRelaxedJsonEscaping : JavaScriptEncoder.Default,
        Indented = seed % 3 == 0,
    };
    private long _sequence = 1_000_000_000_000_000_000 + seed;

    public byte[] Event(int records)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, _options))
        {
            w.WriteStartObject();
            if (Chance(10)) w.WriteString("note", "unknown top-level member");
            w.WriteStartArray("Records");
            for (var i = 0; i < records; i++) Record(w);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private void Record(Utf8JsonWriter w)
    {
        var eventName = _random.Next(20) switch
        {
            < 9 => "INSERT",
            < 14 => "MODIFY",
            < 19 => "REMOVE",
            _ => "UPSERT",
        };
        var view = _random.Next(10) switch
        {
            < 7 => "NEW_AND_OLD_IMAGES",
            < 8 => "KEYS_ONLY",
            < 9 => "NEW_IMAGE",
            _ => "OLD_IMAGE",
        };
        var orderId = Chance(15) ? Pick(Strings) : new Guid(Bytes(16)).ToString();
        var hasNew = eventName != "REMOVE" && view is "NEW_AND_OLD_IMAGES" or "NEW_IMAGE";
        var hasOld = eventName != "INSERT" && view is "NEW_AND_OLD_IMAGES" or "OLD_IMAGE";
        var ttl = eventName == "REMOVE" && Chance(30);
        var shuffled = Chance(20); // eventName after dynamodb, Keys after the images

        w.WriteStartObject();
        w.WriteString("eventID", Convert.ToHexStringLower(BitConverter.GetBytes(_sequence)));
        if (!shuffled) w.WriteString("eventName", eventName);
        w.WriteString("eventVersion", "1.1");
        w.WriteString("eventSource", "aws:dynamodb");
        w.WriteString("awsRegion", "us-east-1");
        if (Chance(10)) w.WriteString(Pick(UnknownMembers), "ignored");
        w.WritePropertyName("dynamodb");
        w.WriteStartObject();
        Timestamp(w);
        if (!shuffled) Keys(w, orderId);
        if (hasNew) Image(w, "NewImage", orderId);
        if (hasOld) Image(w, "OldImage", orderId);
        if (shuffled) Keys(w, orderId);
        w.WriteString("SequenceNumber", (_sequence++).ToString(CultureInfo.InvariantCulture));
        w.WriteNumber("SizeBytes", _random.Next(26, 400_000));
        w.WriteString("StreamViewType", view);
        if (Chance(10)) w.WriteNumber(Pick(UnknownMembers), 42);
        w.WriteEndObject();
        w.WriteString("eventSourceARN", "arn:aws:dynamodb:us-east-1:123456789012:table/OrdersRawTable/stream/2024-03-01T00:00:00.000");
        if (shuffled) w.WriteString("eventName", eventName);
        if (ttl || Chance(5))
        {
            w.WriteStartObject("userIdentity");
            w.WriteString("type", ttl || Chance(50) ? "Service" : "User");
            w.WriteString("principalId", ttl || Chance(50) ? "dynamodb.amazonaws.com" : "someone.amazonaws.com");
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>Seconds (whole or with a fraction), milliseconds, null or absent.</summary>
    private void Timestamp(Utf8JsonWriter w)
    {
        var seconds = 1_700_000_000 + _random.Next(100_000_000);
        switch (_random.Next(8))
        {
            case < 3: w.WriteNumber("ApproximateCreationDateTime", seconds); break;
            case 3: w.WriteNumber("ApproximateCreationDateTime", seconds * 1000L + _random.Next(1000)); break;
            case 4: w.WriteNumber("ApproximateCreationDateTime", seconds + _random.Next(10_000) / 10_000d); break;
            case 5: w.WritePropertyName("ApproximateCreationDateTime"); w.WriteRawValue("1.7098542000005E9"); break;
            case 6: w.WriteNull("ApproximateCreationDateTime"); break;
            default: break;
        }
    }

    private void Keys(Utf8JsonWriter w, string orderId)
    {
        if (Chance(5)) return;
        w.WriteStartObject("Keys");
        if (!Chance(5))
        {
            // Now and then the key is a number: the orderid then comes from the image, or the record is rejected.
            w.WriteStartObject("orderid");
            if (Chance(5)) w.WriteString("N", "42");
            else w.WriteString("S", orderId);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private void Image(Utf8JsonWriter w, string name, string orderId)
    {
        w.WriteStartObject(name);
        w.WriteStartObject("orderid");
        w.WriteString("S", orderId);
        w.WriteEndObject();
        foreach (var attribute in AttributeNames.Where(a => a.Length > 0 && Chance(35)).OrderBy(_ => _random.Next()))
        {
            w.WritePropertyName(attribute);
            Value(w, 0);
        }
        if (Chance(10)) { w.WritePropertyName(""); Value(w, 0); }
        w.WriteEndObject();
    }

    private void Value(Utf8JsonWriter w, int depth)
    {
        w.WriteStartObject();
        switch (_random.Next(depth >= 4 ? 7 : 10))
        {
            case 0: w.WriteString("S", Pick(Strings)); break;
            case 1: w.WritePropertyName("N"); w.WriteStringValue(Pick(Numbers)); break;
            case 2: w.WriteString("B", Convert.ToBase64String(Bytes())); break;
            case 3: w.WriteBoolean("BOOL", Chance(50)); break;
            case 4: w.WriteBoolean("NULL", true); break;
            case 5: Set(w, "SS", () => w.WriteStringValue(Pick(Strings))); break;
            case 6: Set(w, "NS", () => w.WriteStringValue(Pick(Numbers))); break;
            case 7:
                w.WriteStartObject("M");
                foreach (var member in AttributeNames.Where(_ => Chance(25)))
                {
                    w.WritePropertyName(member);
                    Value(w, depth + 1);
                }
                w.WriteEndObject();
                break;
            case 8:
                w.WriteStartArray("L");
                for (var i = _random.Next(5); i > 0; i--) Value(w, depth + 1);
                w.WriteEndArray();
                break;
            default: Set(w, "BS", () => w.WriteStringValue(Convert.ToBase64String(Bytes()))); break;
        }
        if (Chance(3)) w.WriteString(Pick(UnknownMembers), "ignored by the reader");
        w.WriteEndObject();
    }

    private void Set(Utf8JsonWriter w, string member, Action element)
    {
        w.WriteStartArray(member);
        for (var i = 1 + _random.Next(4); i > 0; i--) element();
        w.WriteEndArray();
    }

    private byte[] Bytes(int? length = null)
    {
        var bytes = new byte[length ?? _random.Next(1, 40)];
        _random.NextBytes(bytes);
        return bytes;
    }

    private bool Chance(int percent) => _random.Next(100) < percent;

    private T Pick<T>(T[] values) => values[_random.Next(values.Length)];
}

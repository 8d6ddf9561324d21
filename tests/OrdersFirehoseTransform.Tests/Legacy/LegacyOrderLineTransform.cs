// Frozen copy of the implementation before issue 8 (commit 6947c2a): the oracle the equivalence tests compare the
// streaming handler against. Do not change it to make a test pass.
using Pipelines.Shared.Text;
using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;

namespace Pipelines.Tests.OrdersFirehoseTransform.Legacy;

/// <summary>
/// Turns one CDC record (the JSON the orders-cdc-publisher put on the sales stream) into the flat line
/// Glue/Athena read: exactly orderid, product_name, quantity, price, cdc_event_type, creation_datetime,
/// cdc_timestamp, newline-terminated so the JSON SerDe sees one row per line. Never throws.
/// </summary>
internal static class LegacyOrderLineTransform
{
    // Relaxed escaping keeps non-ASCII text as UTF-8 (the default encoder would turn "é" into 6 bytes).
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static LegacyOrderLineResult Transform(ReadOnlySpan<byte> cdcJson)
    {
        try
        {
            return TransformCore(cdcJson);
        }
        catch (JsonException e)
        {
            return LegacyOrderLineResult.Failed($"not valid JSON: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            return LegacyOrderLineResult.Failed($"not valid JSON: {e.Message}");
        }
    }

    private static LegacyOrderLineResult TransformCore(ReadOnlySpan<byte> cdcJson)
    {
        var fields = new CdcFields();
        var reader = new Utf8JsonReader(cdcJson, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            return LegacyOrderLineResult.Failed("CDC record is not a JSON object");

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = CdcFields.Identify(ref reader);
            reader.Read();
            if (!fields.TryCapture(name, ref reader, out var error))
                return LegacyOrderLineResult.Failed(error);
            reader.Skip(); // nested values of attributes we do not emit
        }
        if (reader.TokenType != JsonTokenType.EndObject)
            return LegacyOrderLineResult.Failed("CDC record is not a JSON object");
        // Anything after the object (a second document) makes the record malformed.
        if (reader.Read())
            return LegacyOrderLineResult.Failed("unexpected data after the CDC record");

        var missing = fields.Validate(out var partition);
        return missing is not null ? LegacyOrderLineResult.Failed(missing) : LegacyOrderLineResult.Ok(fields.WriteLine(), partition);
    }

    /// <summary>The seven emitted fields as read from the record; numbers keep their exact source text.</summary>
    private sealed class CdcFields
    {
        private string? _orderId, _productName, _eventType, _creationDateTime, _cdcTimestamp;
        private byte[]? _quantity, _price;
        private bool _cdcTimestampSeen;

        /// <summary>
        /// The emitted field a property name denotes, or null for one we skip; compared as UTF-8 (unescaping
        /// if needed) so the many skipped item attributes cost no string each.
        /// </summary>
        public static string? Identify(ref Utf8JsonReader reader)
        {
            if (reader.ValueTextEquals("orderid"u8)) return "orderid";
            if (reader.ValueTextEquals("product_name"u8)) return "product_name";
            if (reader.ValueTextEquals("cdc_event_type"u8)) return "cdc_event_type";
            if (reader.ValueTextEquals("creation_datetime"u8)) return "creation_datetime";
            if (reader.ValueTextEquals("quantity"u8)) return "quantity";
            if (reader.ValueTextEquals("price"u8)) return "price";
            if (reader.ValueTextEquals("cdc_timestamp"u8)) return "cdc_timestamp";
            // GetString used to decode every name: keep its verdict (an exception) on names that are not valid UTF-8.
            if (reader.ValueIsEscaped || !Utf8.IsValid(reader.ValueSpan)) _ = reader.GetString();
            return null;
        }

        public bool TryCapture(string? name, ref Utf8JsonReader reader, out string error)
        {
            error = "";
            switch (name)
            {
                case "orderid": return TryString(ref reader, name, ref _orderId, out error);
                case "product_name": return TryString(ref reader, name, ref _productName, out error);
                case "cdc_event_type": return TryString(ref reader, name, ref _eventType, out error);
                case "creation_datetime": return TryString(ref reader, name, ref _creationDateTime, out error);
                case "quantity": return TryNumber(ref reader, name, ref _quantity, out error);
                case "price": return TryNumber(ref reader, name, ref _price, out error);
                case "cdc_timestamp":
                    _cdcTimestampSeen = true;
                    // null is what the publisher writes when the stream record had no ApproximateCreationDateTime.
                    return reader.TokenType == JsonTokenType.Null || TryString(ref reader, name, ref _cdcTimestamp, out error);
                default: return true;
            }
        }

        public string? Validate(out LegacyOrderPartition partition)
        {
            partition = default;
            if (string.IsNullOrEmpty(_orderId)) return "missing orderid";
            if (_productName is null) return "missing product_name";
            if (_quantity is null) return "missing quantity";
            if (_price is null) return "missing price";
            if (_eventType is null) return "missing cdc_event_type";
            if (_creationDateTime is null) return "missing creation_datetime";
            if (!_cdcTimestampSeen) return "missing cdc_timestamp";
            if (_eventType is not ("INSERT" or "MODIFY" or "REMOVE")) return $"unknown cdc_event_type '{_eventType}'";
            if (!TryDouble(_quantity, out var quantity) || quantity < 1 || quantity != Math.Floor(quantity))
                return "quantity must be an integer >= 1";
            if (!TryDouble(_price, out var price) || price < 0) return "price must be a number >= 0";
            if (!LegacyCreationDate.TryGetUtcDate(_creationDateTime, out var date))
                return $"creation_datetime '{Truncate(_creationDateTime)}' is not an ISO 8601 date-time";
            partition = new LegacyOrderPartition(
                date.Year.ToString("D4", CultureInfo.InvariantCulture),
                date.Month.ToString("D2", CultureInfo.InvariantCulture),
                date.Day.ToString("D2", CultureInfo.InvariantCulture));
            return null;
        }

        public byte[] WriteLine()
        {
            var writer = ReusableJsonWriter.Start(WriterOptions, out var buffer);
            {
                writer.WriteStartObject();
                writer.WriteString("orderid", _orderId);
                writer.WriteString("product_name", _productName);
                writer.WritePropertyName("quantity");
                writer.WriteRawValue(_quantity!, skipInputValidation: true);
                writer.WritePropertyName("price");
                writer.WriteRawValue(_price!, skipInputValidation: true);
                writer.WriteString("cdc_event_type", _eventType);
                writer.WriteString("creation_datetime", _creationDateTime);
                if (_cdcTimestamp is null) writer.WriteNull("cdc_timestamp");
                else writer.WriteString("cdc_timestamp", _cdcTimestamp);
                writer.WriteEndObject();
                writer.Flush();
            }
            buffer.Write("\n"u8);
            return buffer.WrittenSpan.ToArray();
        }

        private static bool TryString(ref Utf8JsonReader reader, string name, ref string? target, out string error)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                error = $"{name} must be a string, found {reader.TokenType}";
                return false;
            }
            target = reader.GetString();
            error = "";
            return true;
        }

        private static bool TryNumber(ref Utf8JsonReader reader, string name, ref byte[]? target, out string error)
        {
            if (reader.TokenType != JsonTokenType.Number)
            {
                error = $"{name} must be a number, found {reader.TokenType}";
                return false;
            }
            // A number token is never escaped: ValueSpan is its exact text (19.99 stays 19.99).
            target = reader.ValueSpan.ToArray();
            error = "";
            return true;
        }

        // Only range checks use the parsed value (double covers 30-digit amounts); the line keeps the exact text.
        private static bool TryDouble(byte[] utf8Number, out double value) =>
            double.TryParse(utf8Number, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

        private static string Truncate(string s) => s.Length <= 64 ? s : s[..64] + "...";
    }
}

using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace Pipelines.Orders.Transform.Domain;

/// <summary>The CDC record members the flat line keeps; everything else is skipped.</summary>
internal enum CdcField
{
    None,
    OrderId,
    ProductName,
    Quantity,
    Price,
    EventType,
    CreationDateTime,
    CdcTimestamp,
}

/// <summary>
/// The seven emitted fields of one CDC record as read: strings unescaped to UTF-8 and numbers with their exact
/// source text, all copied into one caller-owned buffer, so a record costs no string or array per field.
/// </summary>
internal ref struct CdcFields(Span<byte> values)
{
    // The line's member names, escaped once instead of checked on every write.
    private static readonly JsonEncodedText OrderIdName = JsonEncodedText.Encode("orderid"u8);
    private static readonly JsonEncodedText ProductNameName = JsonEncodedText.Encode("product_name"u8);
    private static readonly JsonEncodedText QuantityName = JsonEncodedText.Encode("quantity"u8);
    private static readonly JsonEncodedText PriceName = JsonEncodedText.Encode("price"u8);
    private static readonly JsonEncodedText EventTypeName = JsonEncodedText.Encode("cdc_event_type"u8);
    private static readonly JsonEncodedText CreationDateTimeName = JsonEncodedText.Encode("creation_datetime"u8);
    private static readonly JsonEncodedText CdcTimestampName = JsonEncodedText.Encode("cdc_timestamp"u8);

    private readonly Span<byte> _values = values;
    private int _used;
    private Range _orderId, _productName, _eventType, _creationDateTime, _cdcTimestamp, _quantity, _price;
    private bool _hasOrderId, _hasProductName, _hasEventType, _hasCreationDateTime, _hasCdcTimestamp, _hasQuantity, _hasPrice;
    private bool _cdcTimestampSeen;

    /// <summary>
    /// The emitted field a property name denotes, or <see cref="CdcField.None"/> for one we skip; compared as UTF-8
    /// (unescaping if needed) so the many skipped item attributes cost no string.
    /// </summary>
    public static CdcField Identify(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped || reader.HasValueSequence) return IdentifyEscaped(ref reader);
        var name = reader.ValueSpan;
        // One length test instead of seven comparisons: most members of a record are ones the line skips.
        var field = name.Length switch
        {
            5 when name.SequenceEqual("price"u8) => CdcField.Price,
            7 when name.SequenceEqual("orderid"u8) => CdcField.OrderId,
            8 when name.SequenceEqual("quantity"u8) => CdcField.Quantity,
            12 when name.SequenceEqual("product_name"u8) => CdcField.ProductName,
            13 when name.SequenceEqual("cdc_timestamp"u8) => CdcField.CdcTimestamp,
            14 when name.SequenceEqual("cdc_event_type"u8) => CdcField.EventType,
            17 when name.SequenceEqual("creation_datetime"u8) => CdcField.CreationDateTime,
            _ => CdcField.None,
        };
        // Names used to be decoded to strings: keep that verdict (an exception) on names that are not valid UTF-8.
        if (field == CdcField.None && !Utf8.IsValid(name)) _ = reader.GetString();
        return field;
    }

    private static CdcField IdentifyEscaped(ref Utf8JsonReader reader)
    {
        if (reader.ValueTextEquals("orderid"u8)) return CdcField.OrderId;
        if (reader.ValueTextEquals("product_name"u8)) return CdcField.ProductName;
        if (reader.ValueTextEquals("cdc_event_type"u8)) return CdcField.EventType;
        if (reader.ValueTextEquals("creation_datetime"u8)) return CdcField.CreationDateTime;
        if (reader.ValueTextEquals("quantity"u8)) return CdcField.Quantity;
        if (reader.ValueTextEquals("price"u8)) return CdcField.Price;
        if (reader.ValueTextEquals("cdc_timestamp"u8)) return CdcField.CdcTimestamp;
        _ = reader.GetString(); // throws on text that is not valid UTF-8 or UTF-16, as decoding every name used to
        return CdcField.None;
    }

    /// <summary>Takes the value the reader is on for <paramref name="field"/>; false with the reason when its type is wrong.</summary>
    public bool TryCapture(CdcField field, ref Utf8JsonReader reader, out string error)
    {
        error = "";
        switch (field)
        {
            case CdcField.OrderId: return TryString(ref reader, "orderid", ref _orderId, ref _hasOrderId, out error);
            case CdcField.ProductName: return TryString(ref reader, "product_name", ref _productName, ref _hasProductName, out error);
            case CdcField.EventType: return TryString(ref reader, "cdc_event_type", ref _eventType, ref _hasEventType, out error);
            case CdcField.CreationDateTime: return TryString(ref reader, "creation_datetime", ref _creationDateTime, ref _hasCreationDateTime, out error);
            case CdcField.Quantity: return TryNumber(ref reader, "quantity", ref _quantity, ref _hasQuantity, out error);
            case CdcField.Price: return TryNumber(ref reader, "price", ref _price, ref _hasPrice, out error);
            case CdcField.CdcTimestamp:
                _cdcTimestampSeen = true;
                // null is what the publisher writes when the stream record had no ApproximateCreationDateTime.
                return reader.TokenType == JsonTokenType.Null || TryString(ref reader, "cdc_timestamp", ref _cdcTimestamp, ref _hasCdcTimestamp, out error);
            default: return true;
        }
    }

    /// <summary>Null when the record is complete and valid (with its partition), else why it is not.</summary>
    public readonly string? Validate(out OrderPartition partition)
    {
        partition = default;
        if (!_hasOrderId || Value(_orderId).IsEmpty) return "missing orderid";
        if (!_hasProductName) return "missing product_name";
        if (!_hasQuantity) return "missing quantity";
        if (!_hasPrice) return "missing price";
        if (!_hasEventType) return "missing cdc_event_type";
        if (!_hasCreationDateTime) return "missing creation_datetime";
        if (!_cdcTimestampSeen) return "missing cdc_timestamp";
        var eventType = Value(_eventType);
        if (!eventType.SequenceEqual("INSERT"u8) && !eventType.SequenceEqual("MODIFY"u8) && !eventType.SequenceEqual("REMOVE"u8))
            return $"unknown cdc_event_type '{Encoding.UTF8.GetString(eventType)}'";
        if (!TryDouble(Value(_quantity), out var quantity) || quantity < 1 || quantity != Math.Floor(quantity))
            return "quantity must be an integer >= 1";
        if (!TryDouble(Value(_price), out var price) || price < 0) return "price must be a number >= 0";
        if (!CreationDate.TryGetUtcDate(Value(_creationDateTime), out var date))
            return $"creation_datetime '{Truncate(Encoding.UTF8.GetString(Value(_creationDateTime)))}' is not an ISO 8601 date-time";
        partition = new OrderPartition(date);
        return null;
    }

    /// <summary>Writes the flat line's object: exactly these seven members, in this order.</summary>
    public readonly void WriteLine(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString(OrderIdName, Value(_orderId));
        writer.WriteString(ProductNameName, Value(_productName));
        writer.WritePropertyName(QuantityName);
        writer.WriteRawValue(Value(_quantity), skipInputValidation: true);
        writer.WritePropertyName(PriceName);
        writer.WriteRawValue(Value(_price), skipInputValidation: true);
        writer.WriteString(EventTypeName, Value(_eventType));
        writer.WriteString(CreationDateTimeName, Value(_creationDateTime));
        if (_hasCdcTimestamp) writer.WriteString(CdcTimestampName, Value(_cdcTimestamp));
        else writer.WriteNull(CdcTimestampName);
        writer.WriteEndObject();
    }

    private readonly ReadOnlySpan<byte> Value(Range range) => _values[range];

    private bool TryString(ref Utf8JsonReader reader, string name, ref Range target, ref bool has, out string error)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            error = $"{name} must be a string, found {reader.TokenType}";
            return false;
        }
        // Unescapes, and throws InvalidOperationException on invalid UTF-8 or UTF-16, as GetString would.
        var length = reader.CopyString(_values[_used..]);
        target = new Range(_used, _used + length);
        _used += length;
        has = true;
        error = "";
        return true;
    }

    private bool TryNumber(ref Utf8JsonReader reader, string name, ref Range target, ref bool has, out string error)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            error = $"{name} must be a number, found {reader.TokenType}";
            return false;
        }
        // A number token is never escaped: ValueSpan is its exact text (19.99 stays 19.99).
        reader.ValueSpan.CopyTo(_values[_used..]);
        target = new Range(_used, _used + reader.ValueSpan.Length);
        _used += reader.ValueSpan.Length;
        has = true;
        error = "";
        return true;
    }

    // Only range checks use the parsed value (double covers 30-digit amounts); the line keeps the exact text.
    private static bool TryDouble(ReadOnlySpan<byte> utf8Number, out double value) =>
        double.TryParse(utf8Number, NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value);

    private static string Truncate(string s) => s.Length <= 64 ? s : s[..64] + "...";
}

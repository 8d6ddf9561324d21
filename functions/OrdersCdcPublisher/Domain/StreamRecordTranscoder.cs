using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Pipelines.Shared.Text;
using Pipelines.Shared.Buffers;

namespace Pipelines.Orders.Cdc.Domain;

/// <summary>
/// Reads one DynamoDB stream record from the event's bytes and writes the CDC record <see cref="CdcRecordBuilder"/>
/// would build from it, byte for byte: orderid, the item image's attributes, cdc_event_type, cdc_timestamp,
/// cdc_sequence_number, cdc_ttl_expired. Only the orderid (the partition key) becomes a string.
/// </summary>
/// <remarks>
/// A record it cannot build exactly (to be rejected, odd in any way: see <see cref="AttributeTranscoder"/>) is read to
/// its end and handed over. The image is written while it is read when the record has already named its event and its
/// Keys' orderid, as AWS orders them; otherwise it is checked, and written at the record's end from its bytes.
/// </remarks>
[SuppressMessage("Design", "CA1001", Justification = "The writer holds no unmanaged resources; one is reused for the life of the process.")]
internal sealed class StreamRecordTranscoder
{
    private const int MaxRetainedBytes = 256 * 1024;
    private const long MinUnixMilliseconds = -62_135_596_800_000; // DateTimeOffset.MinValue
    private const long MaxUnixMilliseconds = 253_402_300_799_999; // DateTimeOffset.MaxValue

    private static readonly string[] RecordNames =
        ["eventID", "eventName", "eventVersion", "eventSource", "awsRegion", "eventSourceARN", "userIdentity", "dynamodb"];
    private static readonly string[] StreamRecordNames =
        ["ApproximateCreationDateTime", "Keys", "NewImage", "OldImage", "SequenceNumber", "SizeBytes", "StreamViewType"];
    private static readonly string[] IdentityNames = ["type", "principalId"];

    private readonly AttributeTranscoder _attributes = new();
    private ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _writer;

    public StreamRecordTranscoder() => _writer = new Utf8JsonWriter(_buffer, CdcFields.WriterOptions);

    /// <summary>Reads the record the reader is on (its StartObject) up to its EndObject.</summary>
    public TranscodedRecord Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> payload, PooledByteArena arena)
    {
        var start = (int)reader.TokenStartIndex;
        var depth = reader.CurrentDepth;
        var facts = new RecordFacts();
        var complete = ReadRecord(ref reader, payload, ref facts);
        while (reader.TokenType != JsonTokenType.EndObject || reader.CurrentDepth != depth)
        {
            if (!reader.Read()) throw new JsonException("The stream record ends early.");
        }
        var length = (int)reader.BytesConsumed - start;
        return complete && TryFinish(payload, ref facts, arena, out var orderId, out var cdc)
            ? new TranscodedRecord(start, length, orderId, cdc, facts.SequenceNumber.Start..(facts.SequenceNumber.Start + facts.SequenceNumber.Length))
            : TranscodedRecord.HandedOver(start, length);
    }

    private bool ReadRecord(ref Utf8JsonReader reader, ReadOnlySpan<byte> payload, ref RecordFacts facts)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = RecordField(ref reader);
            if (!facts.See(field)) return false;
            reader.Read();
            var ok = field switch
            {
                Field.EventName => EventName(ref reader, ref facts),
                Field.UserIdentity => reader.TokenType == JsonTokenType.Null ||
                                      (reader.TokenType == JsonTokenType.StartObject && ReadIdentity(ref reader, ref facts)),
                Field.Dynamodb => reader.TokenType == JsonTokenType.StartObject && ReadStreamRecord(ref reader, payload, ref facts),
                Field.None => Skip(ref reader),
                _ => OptionalText(ref reader),
            };
            if (!ok) return false;
        }
        return true;
    }

    private static bool EventName(ref Utf8JsonReader reader, ref RecordFacts facts)
    {
        if (reader.TokenType != JsonTokenType.String) return false;
        facts.Change = reader.ValueTextEquals("INSERT"u8) ? Change.Insert
            : reader.ValueTextEquals("MODIFY"u8) ? Change.Modify
            : reader.ValueTextEquals("REMOVE"u8) ? Change.Remove
            : Change.None;
        return facts.Change != Change.None; // any other name is rejected by the builder
    }

    /// <summary>userIdentity: a delete made by TTL is type "Service", principalId "dynamodb.amazonaws.com".</summary>
    private static bool ReadIdentity(ref Utf8JsonReader reader, ref RecordFacts facts)
    {
        bool? service = null, dynamoDb = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = Field.None;
            if (reader.ValueIsEscaped) field = Field.Unsure;
            else if (reader.ValueSpan.SequenceEqual("type"u8)) field = Field.IdentityType;
            else if (reader.ValueSpan.SequenceEqual("principalId"u8)) field = Field.PrincipalId;
            else if (JsonNames.MightMatch(reader.ValueSpan, IdentityNames)) field = Field.Unsure;
            if (!facts.See(field)) return false;
            reader.Read();
            if (field == Field.None)
            {
                reader.Skip();
                continue;
            }
            if (!OptionalText(ref reader)) return false;
            var matches = reader.TokenType == JsonTokenType.String &&
                          reader.ValueTextEquals(field == Field.IdentityType ? "Service"u8 : "dynamodb.amazonaws.com"u8);
            if (field == Field.IdentityType) service = matches;
            else dynamoDb = matches;
        }
        facts.TimeToLiveDelete = service == true && dynamoDb == true;
        return true;
    }

    private bool ReadStreamRecord(ref Utf8JsonReader reader, ReadOnlySpan<byte> payload, ref RecordFacts facts)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var field = StreamRecordField(ref reader);
            if (!facts.See(field)) return false;
            reader.Read();
            bool ok;
            switch (field)
            {
                case Field.Created:
                    ok = reader.TokenType == JsonTokenType.Null ||
                         (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out facts.Created));
                    facts.HasCreated = reader.TokenType == JsonTokenType.Number;
                    break;
                case Field.Keys:
                    ok = ReadImage(ref reader, null, out facts.Keys, out facts.KeysOrderId);
                    break;
                case Field.NewImage or Field.OldImage:
                    ok = ReadItemImage(ref reader, payload, field, ref facts);
                    break;
                case Field.SequenceNumber:
                    ok = ReadSequenceNumber(ref reader, ref facts);
                    break;
                case Field.SizeBytes:
                    ok = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out _);
                    break;
                case Field.StreamViewType:
                    ok = OptionalText(ref reader);
                    break;
                default:
                    ok = Skip(ref reader);
                    break;
            }
            if (!ok) return false;
        }
        return true;
    }

    /// <summary>The sequence number stays in the event bytes; an empty one is rejected by the builder.</summary>
    private static bool ReadSequenceNumber(ref Utf8JsonReader reader, ref RecordFacts facts)
    {
        if (reader.TokenType != JsonTokenType.String) return false;
        facts.SequenceNumber = new Extent((int)reader.TokenStartIndex, (int)(reader.BytesConsumed - reader.TokenStartIndex));
        if (!reader.ValueIsEscaped) return reader.ValueSpan.Length > 0;
        facts.EscapedSequenceNumber = reader.GetString(); // rare; GetString fails on invalid text, as the object model did
        return facts.EscapedSequenceNumber!.Length > 0;
    }

    /// <summary>NewImage or OldImage: written now when it is the record's image and the orderid is known, else checked.</summary>
    private bool ReadItemImage(ref Utf8JsonReader reader, ReadOnlySpan<byte> payload, Field field, ref RecordFacts facts)
    {
        var isNew = field == Field.NewImage;
        var chosen = facts.Change != Change.None && isNew == (facts.Change != Change.Remove);
        Utf8JsonWriter? writer = null;
        if (chosen && facts.KeysOrderId.Start >= 0 && reader.TokenType == JsonTokenType.StartObject)
        {
            facts.OrderId = StringAt(payload, facts.KeysOrderId);
            if (string.IsNullOrEmpty(facts.OrderId)) return false;
            writer = StartRecord(facts.OrderId);
            facts.ImageWritten = true;
        }
        return isNew
            ? ReadImage(ref reader, writer, out facts.NewImage, out facts.NewImageOrderId)
            : ReadImage(ref reader, writer, out facts.OldImage, out facts.OldImageOrderId);
    }

    /// <summary>An image (or null); <paramref name="range"/> is where its object is in the reader's input.</summary>
    private bool ReadImage(ref Utf8JsonReader reader, Utf8JsonWriter? writer, out Extent range, out Extent orderId)
    {
        range = Extent.None;
        orderId = Extent.None;
        if (reader.TokenType == JsonTokenType.Null) return true;
        if (reader.TokenType != JsonTokenType.StartObject) return false;
        var start = (int)reader.TokenStartIndex;
        if (!_attributes.Image(ref reader, writer, out var id)) return false;
        orderId = new Extent(id.Start, id.Length);
        range = new Extent(start, (int)reader.BytesConsumed - start);
        return true;
    }

    private bool TryFinish(ReadOnlySpan<byte> payload, ref RecordFacts facts, PooledByteArena arena, out string? orderId, out ReadOnlyMemory<byte> cdc)
    {
        orderId = null;
        cdc = default;
        if (facts.Change == Change.None || facts.SequenceNumber.Start < 0) return false;

        // REMOVE carries the deleted item in OldImage; with a narrower stream view only Keys may be present.
        var (image, imageOrderId) = facts.Change == Change.Remove ? (facts.OldImage, facts.OldImageOrderId) : (facts.NewImage, facts.NewImageOrderId);
        if (image.Start < 0) (image, imageOrderId) = (facts.Keys, facts.KeysOrderId);
        var orderIdToken = facts.KeysOrderId.Start >= 0 ? facts.KeysOrderId : imageOrderId;
        orderId = facts.OrderId ?? (orderIdToken.Start >= 0 ? StringAt(payload, orderIdToken) : null);
        if (string.IsNullOrEmpty(orderId)) return false;

        DateTime? created = null;
        if (facts.HasCreated)
        {
            // As StreamRecord reads it: above 1e11 it is milliseconds; then rounded to whole milliseconds.
            var seconds = facts.Created > 1e11 ? facts.Created / 1000d : facts.Created;
            var milliseconds = Math.Round(seconds * 1000d);
            if (!(milliseconds >= MinUnixMilliseconds && milliseconds <= MaxUnixMilliseconds)) return false; // the builder throws
            created = DateTimeOffset.FromUnixTimeMilliseconds((long)milliseconds).UtcDateTime;
        }

        if (!facts.ImageWritten)
        {
            var writer = StartRecord(orderId);
            if (image.Start >= 0)
            {
                var imageReader = new Utf8JsonReader(payload.Slice(image.Start, image.Length), StreamEventTranscoder.ReaderOptions);
                imageReader.Read();
                if (!_attributes.Image(ref imageReader, writer, out _)) return false;
            }
        }
        WriteCdcFields(payload, facts, created);
        cdc = arena.Copy(_buffer.WrittenSpan);
        return true;
    }

    private Utf8JsonWriter StartRecord(string orderId)
    {
        // A buffer grown by one huge item is dropped rather than kept for every later record.
        if (_buffer.Capacity > MaxRetainedBytes) _buffer = new ArrayBufferWriter<byte>(4096);
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        _writer.WriteStartObject();
        _writer.WriteString("orderid"u8, orderId);
        return _writer;
    }

    private void WriteCdcFields(ReadOnlySpan<byte> payload, in RecordFacts facts, DateTime? created)
    {
        _writer.WriteString("cdc_event_type"u8, facts.Change switch
        {
            Change.Insert => "INSERT"u8,
            Change.Modify => "MODIFY"u8,
            _ => "REMOVE"u8,
        });
        if (created is { } utc)
        {
            _writer.WriteString("cdc_timestamp"u8, Iso8601.FormatUtcMillis(utc, stackalloc byte[Iso8601.UtcMillisLength]));
        }
        else
        {
            _writer.WriteNull("cdc_timestamp"u8);
        }
        if (facts.EscapedSequenceNumber is { } unescaped) _writer.WriteString("cdc_sequence_number"u8, unescaped);
        else _writer.WriteString("cdc_sequence_number"u8, payload.Slice(facts.SequenceNumber.Start + 1, facts.SequenceNumber.Length - 2));
        _writer.WriteBoolean("cdc_ttl_expired"u8, facts.Change == Change.Remove && facts.TimeToLiveDelete);
        _writer.WriteEndObject();
        _writer.Flush();
    }

    /// <summary>The text of a JSON string token (quotes included), unescaped.</summary>
    public static string StringToken(ReadOnlySpan<byte> token)
    {
        var reader = new Utf8JsonReader(token);
        reader.Read();
        return reader.GetString()!;
    }

    private static string StringAt(ReadOnlySpan<byte> payload, Extent token) => StringToken(payload.Slice(token.Start, token.Length));

    /// <summary>
    /// A string or null member the object model reads as a string. GetString refuses escapes that are not valid text
    /// (a lone surrogate); unescaped text is valid, as the whole event is UTF-8.
    /// </summary>
    private static bool OptionalText(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null) return true;
        if (reader.TokenType != JsonTokenType.String) return false;
        return !reader.ValueIsEscaped || reader.GetString() is not null;
    }

    private static bool Skip(ref Utf8JsonReader reader)
    {
        reader.Skip();
        return true;
    }

    private static Field RecordField(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped) return Field.Unsure;
        var name = reader.ValueSpan;
        if (name.SequenceEqual("eventID"u8)) return Field.EventId;
        if (name.SequenceEqual("eventName"u8)) return Field.EventName;
        if (name.SequenceEqual("eventVersion"u8)) return Field.EventVersion;
        if (name.SequenceEqual("eventSource"u8)) return Field.EventSource;
        if (name.SequenceEqual("awsRegion"u8)) return Field.AwsRegion;
        if (name.SequenceEqual("dynamodb"u8)) return Field.Dynamodb;
        if (name.SequenceEqual("eventSourceARN"u8)) return Field.EventSourceArn;
        if (name.SequenceEqual("userIdentity"u8)) return Field.UserIdentity;
        return JsonNames.MightMatch(name, RecordNames) ? Field.Unsure : Field.None;
    }

    private static Field StreamRecordField(ref Utf8JsonReader reader)
    {
        if (reader.ValueIsEscaped) return Field.Unsure;
        var name = reader.ValueSpan;
        if (name.SequenceEqual("ApproximateCreationDateTime"u8)) return Field.Created;
        if (name.SequenceEqual("Keys"u8)) return Field.Keys;
        if (name.SequenceEqual("NewImage"u8)) return Field.NewImage;
        if (name.SequenceEqual("OldImage"u8)) return Field.OldImage;
        if (name.SequenceEqual("SequenceNumber"u8)) return Field.SequenceNumber;
        if (name.SequenceEqual("SizeBytes"u8)) return Field.SizeBytes;
        if (name.SequenceEqual("StreamViewType"u8)) return Field.StreamViewType;
        return JsonNames.MightMatch(name, StreamRecordNames) ? Field.Unsure : Field.None;
    }

    private enum Change : byte { None, Insert, Modify, Remove }

    /// <summary>Members the object model binds, one bit each so a repeated one is noticed (it would keep the last).</summary>
    [Flags]
    private enum Field
    {
        None = 0,
        EventId = 1 << 0,
        EventName = 1 << 1,
        EventVersion = 1 << 2,
        EventSource = 1 << 3,
        AwsRegion = 1 << 4,
        EventSourceArn = 1 << 5,
        UserIdentity = 1 << 6,
        Dynamodb = 1 << 7,
        Created = 1 << 8,
        Keys = 1 << 9,
        NewImage = 1 << 10,
        OldImage = 1 << 11,
        SequenceNumber = 1 << 12,
        SizeBytes = 1 << 13,
        StreamViewType = 1 << 14,
        IdentityType = 1 << 15,
        PrincipalId = 1 << 16,
        /// <summary>A name a case-insensitive reader might bind (escaped, non-ASCII or another case).</summary>
        Unsure = 1 << 30,
    }

    /// <summary>Offset and length in the event bytes; Start is -1 for none.</summary>
    private readonly record struct Extent(int Start, int Length)
    {
        public static readonly Extent None = new(-1, 0);
    }

    /// <summary>What one record said, gathered while reading it.</summary>
    private struct RecordFacts
    {
        public Field Seen;
        public Change Change;
        public bool TimeToLiveDelete;
        public bool HasCreated;
        public double Created;
        /// <summary>The SequenceNumber string token, quotes included; its text too when it was escaped.</summary>
        public Extent SequenceNumber;
        public string? EscapedSequenceNumber;
        public Extent Keys, NewImage, OldImage;
        public Extent KeysOrderId, NewImageOrderId, OldImageOrderId;
        /// <summary>Set when the image was written while reading it.</summary>
        public string? OrderId;
        public bool ImageWritten;

        public RecordFacts()
        {
            SequenceNumber = Keys = NewImage = OldImage = KeysOrderId = NewImageOrderId = OldImageOrderId = Extent.None;
        }

        /// <summary>False for a name to hand over: one the reader is unsure of, or a member seen before.</summary>
        public bool See(Field field)
        {
            if (field == Field.None) return true;
            if (field == Field.Unsure || (Seen & field) != 0) return false;
            Seen |= field;
            return true;
        }
    }
}

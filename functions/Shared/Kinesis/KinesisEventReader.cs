using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Pipelines.Shared.Runtime;
using Pipelines.Shared.Text;

namespace Pipelines.Shared.Kinesis;

/// <summary>
/// Reads a Kinesis event with one <see cref="Utf8JsonReader"/> pass into a <see cref="KinesisBatch"/>. As forgiving
/// as the <see cref="Events.EventJsonContext"/> contract: member names match case-insensitively, unknown members
/// and comments are skipped, null strings read as "", the arrival timestamp may be a number or a numeric string.
/// </summary>
internal static class KinesisEventReader
{
    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    public static KinesisBatch Read(ReadOnlySpan<byte> json)
    {
        // Lambda's own events take the fast path; this reader decides everything else, errors included.
        if (KinesisEventScanner.TryRead(json) is { } batch) return batch;
        return ReadLenient(json);
    }

    /// <summary>The event read with <see cref="Utf8JsonReader"/> under the lenient contract (no fast path).</summary>
    internal static KinesisBatch ReadLenient(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, Options);
        try
        {
            Expect(ref reader, JsonTokenType.StartObject, "the event");
            KinesisBatch? batch = null;
            try
            {
                while (Next(ref reader) == JsonTokenType.PropertyName)
                {
                    if (JsonNames.Is(ref reader, "Records"u8))
                    {
                        reader.Read();
                        batch?.Dispose(); // a repeated member: the last one wins, as in the object contract
                        batch = reader.TokenType == JsonTokenType.Null ? null : ReadRecords(ref reader, json.Length);
                        continue;
                    }
                    reader.Read();
                    reader.Skip();
                }
                // Whatever follows the event object makes the payload invalid JSON, as it would for the serializer.
                if (reader.Read()) throw new InvalidEventException($"The payload is not valid JSON: {reader.TokenType} after the event object.");
                return batch ?? KinesisBatch.Empty;
            }
            catch
            {
                batch?.Dispose();
                throw;
            }
        }
        catch (JsonException e)
        {
            throw new InvalidEventException($"The payload is not valid JSON: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // A kept string that is not UTF-8: the reader only finds out when it copies the text.
            throw new InvalidEventException($"The payload is not valid JSON: {e.Message}", e);
        }
    }

    private static KinesisBatch ReadRecords(ref Utf8JsonReader reader, int payloadLength)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw Invalid("Records", "an array", reader.TokenType);
        // Every record's texts are disjoint parts of the payload and never longer unescaped, so one rental never grows.
        var text = ArrayPool<byte>.Shared.Rent(Math.Max(1, payloadLength));
        var records = ArrayPool<KinesisBatch.RawRecord>.Shared.Rent(Math.Max(16, payloadLength / 512));
        var count = 0;
        var used = 0;
        var shards = new ShardIdCache();
        try
        {
            while (Next(ref reader) != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject) throw Invalid("Records[]", "an object", reader.TokenType);
                if (count == records.Length) records = Grow(records);
                records[count++] = ReadRecord(ref reader, text, ref used, ref shards);
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(text);
            ArrayPool<KinesisBatch.RawRecord>.Shared.Return(records, clearArray: true);
            throw;
        }
        return new KinesisBatch(records, count, text);
    }

    private static KinesisBatch.RawRecord[] Grow(KinesisBatch.RawRecord[] records)
    {
        var larger = ArrayPool<KinesisBatch.RawRecord>.Shared.Rent(records.Length * 2);
        records.AsSpan().CopyTo(larger);
        ArrayPool<KinesisBatch.RawRecord>.Shared.Return(records, clearArray: true);
        return larger;
    }

    private static KinesisBatch.RawRecord ReadRecord(ref Utf8JsonReader reader, byte[] text, ref int used, ref ShardIdCache shards)
    {
        KinesisBatch.TextRange sequenceNumber = default, partitionKey = default, data = default;
        string? shardId = null;
        double arrival = 0;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (JsonNames.Is(ref reader, "eventID"u8))
            {
                reader.Read();
                shardId = reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped
                    ? SourceRecord.ShardIdFromEventId(ReadString(ref reader, "eventID"))
                    : shards.FromEventId(reader.ValueSpan);
            }
            else if (JsonNames.Is(ref reader, "kinesis"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null) continue;
                if (reader.TokenType != JsonTokenType.StartObject) throw Invalid("kinesis", "an object", reader.TokenType);
                while (Next(ref reader) == JsonTokenType.PropertyName)
                {
                    if (JsonNames.Is(ref reader, "data"u8))
                    {
                        reader.Read();
                        data = CopyText(ref reader, text, ref used, "kinesis.data", numbersAllowed: false);
                    }
                    else if (JsonNames.Is(ref reader, "sequenceNumber"u8))
                    {
                        reader.Read();
                        sequenceNumber = CopyText(ref reader, text, ref used, "kinesis.sequenceNumber", numbersAllowed: true);
                    }
                    else if (JsonNames.Is(ref reader, "partitionKey"u8))
                    {
                        reader.Read();
                        partitionKey = CopyText(ref reader, text, ref used, "kinesis.partitionKey", numbersAllowed: true);
                    }
                    else if (JsonNames.Is(ref reader, "approximateArrivalTimestamp"u8))
                    {
                        reader.Read();
                        arrival = ReadEpochSeconds(ref reader);
                    }
                    else
                    {
                        reader.Read();
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return new KinesisBatch.RawRecord(sequenceNumber, partitionKey, data, shardId ?? SourceRecord.ShardIdFromEventId(null), arrival);
    }

    /// <summary>
    /// Appends the current token's text (unescaped UTF-8) to <paramref name="text"/>, the way the lenient contract
    /// reads strings: null is "", and where allowed a number or boolean keeps its JSON text.
    /// </summary>
    private static KinesisBatch.TextRange CopyText(ref Utf8JsonReader reader, byte[] text, ref int used, string member, bool numbersAllowed)
    {
        var start = used;
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                // An unescaped value is never longer than its escaped form, which is part of the payload, so it fits.
                used += reader.CopyString(text.AsSpan(used));
                break;
            case JsonTokenType.Null:
                break;
            case JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False when numbersAllowed:
                reader.ValueSpan.CopyTo(text.AsSpan(used));
                used += reader.ValueSpan.Length;
                break;
            default:
                throw Invalid(member, "a string", reader.TokenType);
        }
        return new KinesisBatch.TextRange(start, used - start);
    }

    /// <summary>Reads the current token as a string the way the lenient contract does: null is "", numbers keep their text.</summary>
    private static string ReadString(ref Utf8JsonReader reader, string member) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString()!,
        JsonTokenType.Null => "",
        JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False => Encoding.UTF8.GetString(reader.ValueSpan),
        _ => throw Invalid(member, "a string", reader.TokenType),
    };

    private static double ReadEpochSeconds(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number) return reader.GetDouble();
        if (reader.TokenType == JsonTokenType.Null) return 0;
        if (reader.TokenType == JsonTokenType.String
            && double.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }
        throw Invalid("kinesis.approximateArrivalTimestamp", "a number", reader.TokenType);
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read()) throw new InvalidEventException("The Kinesis event JSON ends early.");
        return reader.TokenType;
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what)
    {
        if (Next(ref reader) != type) throw Invalid(what, "an object", reader.TokenType);
    }

    private static InvalidEventException Invalid(string member, string expected, JsonTokenType found) =>
        new($"The Kinesis event's {member} is {found}; expected {expected}.");
}

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
    }

    private static KinesisBatch ReadRecords(ref Utf8JsonReader reader, int payloadLength)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw Invalid("Records", "an array", reader.TokenType);
        var records = new List<KinesisBatchRecord>();
        // Every record's base64 text fits in the payload's length, so one rental never grows.
        var data = ArrayPool<byte>.Shared.Rent(Math.Max(1, payloadLength));
        var used = 0;
        var shards = new ShardIdCache();
        try
        {
            while (Next(ref reader) != JsonTokenType.EndArray)
            {
                if (reader.TokenType != JsonTokenType.StartObject) throw Invalid("Records[]", "an object", reader.TokenType);
                records.Add(ReadRecord(ref reader, data, ref used, ref shards));
            }
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(data);
            throw;
        }
        return new KinesisBatch([.. records], records.Count, data);
    }

    private static KinesisBatchRecord ReadRecord(ref Utf8JsonReader reader, byte[] data, ref int used, ref ShardIdCache shards)
    {
        string sequenceNumber = "", partitionKey = "";
        string? shardId = null;
        double arrival = 0;
        int dataStart = used, dataLength = 0;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (JsonNames.Is(ref reader, "eventID"u8))
            {
                reader.Read();
                shardId = shards.FromEventId(ref reader);
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
                        dataStart = used;
                        dataLength = CopyText(ref reader, data.AsSpan(used), "kinesis.data");
                        used += dataLength;
                    }
                    else if (JsonNames.Is(ref reader, "sequenceNumber"u8))
                    {
                        reader.Read();
                        sequenceNumber = ReadString(ref reader, "kinesis.sequenceNumber");
                    }
                    else if (JsonNames.Is(ref reader, "partitionKey"u8))
                    {
                        reader.Read();
                        partitionKey = ReadString(ref reader, "kinesis.partitionKey");
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
        var source = new SourceRecord(sequenceNumber, shardId ?? SourceRecord.ShardIdFromEventId(null), partitionKey,
            SourceRecord.ArrivalFromEpochSeconds(arrival));
        return new KinesisBatchRecord(source, dataStart, dataLength);
    }

    /// <summary>Reads the current token as a string the way the lenient contract does: null is "", numbers keep their text.</summary>
    internal static string ReadString(ref Utf8JsonReader reader, string member) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString()!,
        JsonTokenType.Null => "",
        JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False => Encoding.UTF8.GetString(reader.ValueSpan),
        _ => throw Invalid(member, "a string", reader.TokenType),
    };

    /// <summary>Copies the string token's unescaped UTF-8 into <paramref name="destination"/>; null is empty.</summary>
    private static int CopyText(ref Utf8JsonReader reader, Span<byte> destination, string member) => reader.TokenType switch
    {
        // An unescaped value is never longer than its escaped form, which is part of the payload, so it fits.
        JsonTokenType.String => reader.CopyString(destination),
        JsonTokenType.Null => 0,
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

    /// <summary>
    /// Lambda's eventID is "&lt;shardId&gt;:&lt;sequenceNumber&gt;" and a batch comes from one shard: the shard id
    /// string is made once and reused while the prefix matches.
    /// </summary>
    private struct ShardIdCache
    {
        private byte[]? _lastUtf8;
        private string? _last;

        public string FromEventId(ref Utf8JsonReader reader)
        {
            if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
                return SourceRecord.ShardIdFromEventId(ReadString(ref reader, "eventID"));
            var id = reader.ValueSpan;
            var colon = id.IndexOf((byte)':');
            if (colon <= 0) return SourceRecord.ShardIdFromEventId(null);
            var shard = id[..colon];
            if (_last is null || !shard.SequenceEqual(_lastUtf8))
            {
                _lastUtf8 = shard.ToArray();
                _last = Encoding.UTF8.GetString(shard);
            }
            return _last;
        }
    }
}

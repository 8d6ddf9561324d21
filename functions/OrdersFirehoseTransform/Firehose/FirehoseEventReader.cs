using System.Text.Json;
using Pipelines.Shared.Events;
using Pipelines.Shared.Runtime;
using Pipelines.Shared.Text;

namespace Pipelines.Orders.Transform.Firehose;

/// <summary>
/// Reads a Firehose transformation event with one <see cref="Utf8JsonReader"/> pass into a <see cref="FirehoseBatch"/>:
/// invocationId, and per record recordId, approximateArrivalTimestamp and data, copied as UTF-8 without strings.
/// Both shapes AWS sends are read: direct PUT, and a Kinesis source (sourceKinesisStreamArn plus each record's
/// kinesisRecordMetadata, which this function does not use and skips). As forgiving as the
/// <see cref="EventJsonContext"/> contract it replaces: names match case-insensitively, unknown members, comments and
/// trailing commas are skipped, a null string reads as "", the arrival time is lenient; anything that contract would
/// refuse (a string member of another type, malformed JSON, invalid UTF-8) fails the invocation with
/// <see cref="InvalidEventException"/>.
/// </summary>
internal static class FirehoseEventReader
{
    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
    private static readonly LenientEpochMillisecondsConverter EpochMilliseconds = new();

    public static FirehoseBatch Read(ReadOnlySpan<byte> json)
    {
        var batch = new FirehoseBatch(json.Length);
        try
        {
            ReadEvent(json, batch);
            return batch;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            batch.Dispose();
            // InvalidOperationException: CopyString/GetString on text that is not valid UTF-8 or UTF-16.
            throw new InvalidEventException($"The payload is not a valid Firehose event: {e.Message}", e);
        }
        catch
        {
            batch.Dispose();
            throw;
        }
    }

    private static void ReadEvent(ReadOnlySpan<byte> json, FirehoseBatch batch)
    {
        var reader = new Utf8JsonReader(json, Options);
        if (Next(ref reader) == JsonTokenType.Null)
            throw new InvalidEventException("The invocation payload was JSON null; expected a KinesisFirehoseEvent.");
        if (reader.TokenType != JsonTokenType.StartObject) throw Invalid("event", "an object", reader.TokenType);
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (JsonNames.Is(ref reader, "records"u8))
            {
                reader.Read();
                batch.Clear(); // a repeated member replaces the earlier one, as in the object contract
                if (reader.TokenType == JsonTokenType.Null) continue;
                if (reader.TokenType != JsonTokenType.StartArray) throw Invalid("records", "an array", reader.TokenType);
                while (Next(ref reader) != JsonTokenType.EndArray)
                    ReadRecord(ref reader, batch);
            }
            else if (JsonNames.Is(ref reader, "invocationId"u8))
            {
                reader.Read();
                batch.InvocationId = StringOrNull(ref reader, "invocationId") ? reader.GetString() ?? "" : "";
            }
            else if (JsonNames.Is(ref reader, "deliveryStreamArn"u8) || JsonNames.Is(ref reader, "sourceKinesisStreamArn"u8)
                     || JsonNames.Is(ref reader, "region"u8))
            {
                reader.Read();
                _ = StringOrNull(ref reader, "deliveryStreamArn, sourceKinesisStreamArn or region");
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        // Whatever follows the event object makes the payload invalid JSON, as it would for the serializer.
        if (reader.Read()) throw Invalid("payload", "one JSON object", reader.TokenType);
    }

    private static void ReadRecord(ref Utf8JsonReader reader, FirehoseBatch batch)
    {
        if (reader.TokenType != JsonTokenType.StartObject) throw Invalid("records[]", "an object", reader.TokenType);
        Range recordId = default, data = default;
        long arrival = 0;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            if (JsonNames.Is(ref reader, "recordId"u8))
            {
                reader.Read();
                recordId = CopyText(ref reader, batch, "recordId");
            }
            else if (JsonNames.Is(ref reader, "data"u8))
            {
                reader.Read();
                data = CopyText(ref reader, batch, "data");
            }
            else if (JsonNames.Is(ref reader, "approximateArrivalTimestamp"u8))
            {
                reader.Read();
                // The contract's own converter: number, numeric or ISO-8601 string, "" or null (0 when unreadable).
                arrival = EpochMilliseconds.Read(ref reader, typeof(long), EventJsonContext.Default.Options);
            }
            else
            {
                // kinesisRecordMetadata (Kinesis-source shape) and anything else.
                reader.Read();
                reader.Skip();
            }
        }
        batch.Add(recordId, data, arrival);
    }

    /// <summary>Copies a string token's unescaped UTF-8 into the batch; null is "".</summary>
    private static Range CopyText(ref Utf8JsonReader reader, FirehoseBatch batch, string member) =>
        StringOrNull(ref reader, member) ? batch.CommitText(reader.CopyString(batch.FreeText)) : batch.CommitText(0);

    /// <summary>True for a string token, false for null; anything else is refused, as the object contract does.</summary>
    private static bool StringOrNull(ref Utf8JsonReader reader, string member) => reader.TokenType switch
    {
        JsonTokenType.String => true,
        JsonTokenType.Null => false,
        _ => throw Invalid(member, "a string", reader.TokenType),
    };

    private static JsonTokenType Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read()) throw new InvalidEventException("The Firehose event JSON ends early.");
        return reader.TokenType;
    }

    private static InvalidEventException Invalid(string member, string expected, JsonTokenType found) =>
        new($"The Firehose event's {member} is {found}; expected {expected}.");
}

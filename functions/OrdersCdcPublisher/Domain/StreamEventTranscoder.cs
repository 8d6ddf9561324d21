using System.Text.Json;
using System.Text.Unicode;
using Pipelines.Shared.Buffers;

namespace Pipelines.Orders.Cdc.Domain;

/// <summary>
/// Turns a DynamoDB Streams event, as Lambda delivers it ({"Records":[...]}), into CDC records in one Utf8JsonReader
/// pass over its bytes, with no object per record or attribute (see <see cref="StreamRecordTranscoder"/>).
/// </summary>
/// <remarks>
/// Unknown members pass, as they do for the object-model reader it replaces. An event whose outer shape that reader
/// would treat differently (no or repeated Records, a record that is not an object, members named in another case,
/// bytes that are not UTF-8) makes <see cref="TryRead"/> answer false; malformed JSON throws. Either way
/// the caller falls back to the object model, which then fails or succeeds exactly as before. Not thread-safe: one
/// instance reads one event at a time.
/// </remarks>
internal sealed class StreamEventTranscoder
{
    /// <summary>
    /// Strict JSON at JsonSerializer's default depth of 64. EventJsonContext also skips comments and allows trailing
    /// commas, which cost the reader a slower path; Lambda never sends either, and an event that has them makes this
    /// reader throw, so it takes the object-model path, which reads it as before.
    /// </summary>
    public static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    private static readonly string[] EventNames = ["Records"];

    private readonly StreamRecordTranscoder _record = new();

    /// <summary>Adds one entry per stream record to <paramref name="records"/>; false when the event is not one it reads.</summary>
    public bool TryRead(ReadOnlySpan<byte> payload, PooledByteArena arena, List<TranscodedRecord> records)
    {
        // One vectorised check for the whole event: every unescaped string and name in it is then valid UTF-8 too (a
        // quote cannot occur inside a multi-byte sequence), as the object model's GetString demands of each.
        if (!Utf8.IsValid(payload)) return false;
        var reader = new Utf8JsonReader(payload, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
        var seenRecords = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueIsEscaped && reader.ValueSpan.SequenceEqual("Records"u8))
            {
                if (seenRecords) return false;
                seenRecords = true;
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray) return false;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType != JsonTokenType.StartObject) return false;
                    records.Add(_record.Read(ref reader, payload, arena));
                }
            }
            else
            {
                if (reader.ValueIsEscaped || JsonNames.MightMatch(reader.ValueSpan, EventNames)) return false;
                reader.Skip();
            }
        }
        // Nothing may follow the event object but whitespace and comments (Read throws on anything else).
        return seenRecords && !reader.Read();
    }
}

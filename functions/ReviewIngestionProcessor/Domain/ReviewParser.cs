using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Pipelines.Shared.Buffers;
using Pipelines.Shared.Kinesis;
using Pipelines.Shared.Text;

namespace Pipelines.Reviews.Domain;

/// <summary>
/// Validates one review payload and turns it into the item stored in the raw table, written as DynamoDB JSON in the
/// same Utf8JsonReader pass (<see cref="ItemJsonWriter"/>): every source field kept (unknown ones too, it is a raw
/// table), defaults filled in, and the pipeline's lineage fields added from the Kinesis record itself so a redelivered
/// record yields an identical item. Building no tree of values per record keeps a 1,000-record batch from promoting
/// garbage into older GC generations.
/// </summary>
internal static class ReviewParser
{
    // Deeper than DynamoDB allows, so over-deep reviews get DynamoDB's reason unless the JSON is pathological.
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    // The pipeline's own names are plain ASCII: their UTF-8 is what the item carries and what DynamoDB counts.
    private static readonly byte[] HelpfulVotesName = Encoding.UTF8.GetBytes(ReviewFields.HelpfulVotes);
    private static readonly byte[] VerifiedPurchaseName = Encoding.UTF8.GetBytes(ReviewFields.VerifiedPurchase);
    private static readonly byte[] IngestionTimestampName = Encoding.UTF8.GetBytes(ReviewFields.IngestionTimestamp);
    private static readonly byte[] SourceSequenceNumberName = Encoding.UTF8.GetBytes(ReviewFields.SourceSequenceNumber);
    private static readonly byte[] SourceShardIdName = Encoding.UTF8.GetBytes(ReviewFields.SourceShardId);

    /// <param name="arena">Where the item's JSON is kept until it is written; null gives the item its own array.</param>
    public static ReviewParseResult Parse(ReadOnlySpan<byte> utf8Json, SourceRecord source, PooledByteArena? arena = null) =>
        Parse(utf8Json, ItemLineage.Of(source), arena);

    /// <inheritdoc cref="Parse(ReadOnlySpan{byte}, SourceRecord, PooledByteArena?)"/>
    public static ReviewParseResult Parse(ReadOnlySpan<byte> utf8Json, in ItemLineage lineage, PooledByteArena? arena = null)
    {
        if (utf8Json.IsEmpty) return ReviewParseResult.Reject("empty payload");
        var scratch = ParseScratch.Start();
        var writer = scratch.Item;
        var reader = new Utf8JsonReader(utf8Json, ReaderOptions);
        string? error;
        int size;
        try
        {
            error = ReadFields(ref reader, writer, scratch, out size);
            // Whatever was found, the rest must be valid JSON: a syntax error anywhere wins, as it did when the
            // whole payload was parsed into a document first.
            while (reader.Read())
            {
            }
        }
        catch (JsonException e)
        {
            return ReviewParseResult.Reject($"not valid JSON: {e.Message}");
        }
        if (error is not null) return ReviewParseResult.Reject(error);

        var facts = scratch.Facts;
        error = ContractRules.Check(facts);
        if (error is not null) return ReviewParseResult.Reject(error);

        size += WriteDefaultsAndLineage(writer, facts, lineage);
        writer.EndItem();
        if (size > DynamoDbItemRules.MaxItemBytes)
            return ReviewParseResult.Reject($"item is {size} bytes, over DynamoDB's {DynamoDbItemRules.MaxItemBytes}-byte (400 KB) item limit");

        var json = arena is null ? writer.Written.ToArray() : arena.Copy(writer.Written);
        return ReviewParseResult.Accept(new ReviewItem(facts[(int)KnownField.ReviewId].Text!, json, size));
    }

    /// <summary>
    /// Copies the review's fields into the item (left open for the pipeline's own) and notes what each contract field
    /// held. Returns the first reason, in document order, that DynamoDB could never store the review.
    /// </summary>
    private static string? ReadFields(ref Utf8JsonReader reader, ItemJsonWriter writer, ParseScratch scratch, out int size)
    {
        size = 0;
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject) return $"payload is a JSON {Describe(reader.TokenType)}, not an object";

        writer.StartItem();
        var scope = scratch.Names.Open();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!scratch.TryGetText(ref reader, out var name)) return AttributeValueTranscoder.UnpairedSurrogate;
            if (name.IsEmpty) return AttributeValueTranscoder.EmptyName;
            var field = ReviewFields.Classify(name);
            // Known fields are told apart by what was noted of them; only other names go to the name list.
            if (field == KnownField.None ? !scratch.Names.Add(ref scope, name) : scratch.Facts[(int)field].Kind != JsonTokenType.None)
                return AttributeValueTranscoder.Duplicate(name);
            // Both stay readable across the read: the raw name is the payload's, the unescaped one has its own buffer.
            var rawName = reader.ValueSpan;
            reader.Read();

            int valueSize;
            string? error;
            if (field == KnownField.None)
            {
                writer.Name(rawName);
                error = AttributeValueTranscoder.Transcode(ref reader, writer, scratch, 0, out valueSize);
            }
            else
            {
                ref var fact = ref scratch.Facts[(int)field];
                fact.Kind = reader.TokenType;
                if (ReviewFields.IsPipelineOwned(field))
                {
                    // Replaced below, but still checked: a review is refused for the same reasons whatever its field names.
                    error = AttributeValueTranscoder.Transcode(ref reader, null, scratch, 0, out _);
                    if (error is not null) return error;
                    continue;
                }
                // An explicit null for an optional field means "not given": the defaults fill in what has one.
                if (reader.TokenType == JsonTokenType.Null && ReviewFields.IsOptional(field)) continue;
                writer.Name(rawName);
                error = ReadContractValue(ref reader, writer, scratch, field, ref fact, out valueSize);
            }
            if (error is not null) return error;
            size += name.Length + valueSize;
        }
        return null;
    }

    /// <summary>A contract field's value, copied and noted for <see cref="ContractRules"/>.</summary>
    private static string? ReadContractValue(
        ref Utf8JsonReader reader, ItemJsonWriter writer, ParseScratch scratch, KnownField field, ref FieldFact fact, out int size)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            size = 0;
            if (!scratch.TryGetText(ref reader, out var text)) return AttributeValueTranscoder.UnpairedSurrogate;
            ContractRules.NoteString(field, text, ref fact);
            writer.RawString(reader.ValueSpan);
            size = text.Length;
            return null;
        }
        if (reader.TokenType == JsonTokenType.Number && field is KnownField.StarRating or KnownField.HelpfulVotes)
        {
            var number = reader.ValueSpan;
            size = 0;
            var error = DynamoDbItemRules.TryAnalyzeNumber(number, out var shape);
            if (error is not null) return error;
            size = DynamoDbItemRules.NumberSize(shape);
            ContractRules.NoteInteger(number, ref fact);
            WriteCanonicalInteger(writer, number, fact);
            return null;
        }
        return AttributeValueTranscoder.Transcode(ref reader, writer, scratch, 0, out size);
    }

    /// <summary>The integer as stored: its own text when already in plain form ("4", not "-0"), else reformatted.</summary>
    private static void WriteCanonicalInteger(ItemJsonWriter writer, ReadOnlySpan<byte> text, in FieldFact fact)
    {
        var plain = text.Length > 0 && text[0] != (byte)'+'
            && !(text[0] == (byte)'0' && text.Length > 1)
            && !(text[0] == (byte)'-' && (text.Length == 1 || text[1] == (byte)'0'));
        if (plain || !fact.IsInteger)
        {
            writer.Number(text);
            return;
        }
        Span<byte> formatted = stackalloc byte[24];
        Utf8Formatter.TryFormat(fact.Integer, formatted, out var length);
        writer.Number(formatted[..length]);
    }

    /// <summary>The contract's defaults for absent optional fields, then the lineage; returns their DynamoDB size.</summary>
    private static int WriteDefaultsAndLineage(ItemJsonWriter writer, FieldFact[] facts, in ItemLineage lineage)
    {
        var size = 0;
        if (!facts[(int)KnownField.HelpfulVotes].IsGiven)
        {
            writer.Name(HelpfulVotesName);
            writer.Number("0"u8);
            size += HelpfulVotesName.Length + DynamoDbItemRules.NumberSize(default); // the shape of 0
        }
        if (!facts[(int)KnownField.VerifiedPurchase].IsGiven)
        {
            writer.Name(VerifiedPurchaseName);
            writer.Boolean(false);
            size += VerifiedPurchaseName.Length + DynamoDbItemRules.ScalarSize;
        }

        Span<byte> timestamp = stackalloc byte[Iso8601.UtcMillisLength];
        writer.Name(IngestionTimestampName);
        writer.RawString(Iso8601.FormatUtcMillis(lineage.ArrivalTime, timestamp));
        size += IngestionTimestampName.Length + Iso8601.UtcMillisLength;

        writer.Name(SourceSequenceNumberName);
        writer.Text(lineage.SequenceNumber);
        size += SourceSequenceNumberName.Length + Encoding.UTF8.GetByteCount(lineage.SequenceNumber);

        writer.Name(SourceShardIdName);
        writer.Text(lineage.ShardId);
        size += SourceShardIdName.Length + Encoding.UTF8.GetByteCount(lineage.ShardId);
        return size;
    }

    internal static string Describe(JsonTokenType kind) => kind switch
    {
        JsonTokenType.StartArray => "array",
        JsonTokenType.String => "string",
        JsonTokenType.Number => "number",
        JsonTokenType.True or JsonTokenType.False => "boolean",
        JsonTokenType.Null => "null",
        _ => "object",
    };
}

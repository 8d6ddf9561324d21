using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Pipelines.Shared.Kinesis;
using Pipelines.Shared.Text;

namespace Pipelines.Reviews.Domain;

/// <summary>
/// Validates one review payload and turns it into the item stored in the raw table: every source field kept
/// (unknown ones too, it is a raw table), defaults filled in, and the pipeline's lineage fields added from the
/// Kinesis record itself so a redelivered record yields a byte-identical item.
/// </summary>
internal static class ReviewParser
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 64 };

    public static ReviewParseResult Parse(ReadOnlyMemory<byte> utf8Json, SourceRecord source)
    {
        if (utf8Json.IsEmpty) return ReviewParseResult.Reject("empty payload");
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json, DocumentOptions);
        }
        catch (JsonException e)
        {
            return ReviewParseResult.Reject($"not valid JSON: {e.Message}");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                return ReviewParseResult.Reject($"payload is a JSON {Describe(root.ValueKind)}, not an object");

            List<KeyValuePair<string, ItemValue>> fields;
            try
            {
                var error = ReadObject(root, depth: 0, out fields);
                if (error is not null) return ReviewParseResult.Reject(error);
            }
            catch (InvalidOperationException)
            {
                // JsonElement.GetString throws for escapes that decode to an unpaired surrogate.
                return ReviewParseResult.Reject("a string contains an escaped unpaired surrogate (not valid Unicode)");
            }
            return Validate(fields, source);
        }
    }

    private static ReviewParseResult Validate(List<KeyValuePair<string, ItemValue>> fields, SourceRecord source)
    {
        // Field names are unique (ReadObject rejects duplicates) and a review has a dozen of them, so a linear
        // lookup over the list beats building a dictionary per record.
        var byName = new FieldLookup(fields);
        var errors = new List<string>(0);

        foreach (var name in ReviewFields.RequiredStrings)
        {
            if (!byName.TryGetValue(name, out var value) || value.Kind == ItemValueKind.Null)
                errors.Add($"{name} is missing");
            else if (value.Kind != ItemValueKind.String)
                errors.Add($"{name} must be a string, got {Describe(value.Kind)}");
            else if (string.IsNullOrWhiteSpace(value.Text))
                errors.Add($"{name} is empty");
        }
        if (byName.TryGetValue(ReviewFields.ReviewId, out var id) && id.Kind == ItemValueKind.String
            && DynamoDbItemRules.Utf8Bytes(id.Text!) > DynamoDbItemRules.MaxPartitionKeyBytes)
            errors.Add($"{ReviewFields.ReviewId} is longer than DynamoDB's {DynamoDbItemRules.MaxPartitionKeyBytes}-byte partition key limit");

        var starRating = ReadInteger(byName, ReviewFields.StarRating, required: true, min: 1, max: 5, errors);
        var helpfulVotes = ReadInteger(byName, ReviewFields.HelpfulVotes, required: false, min: 0, max: long.MaxValue, errors) ?? 0;

        if (!byName.TryGetValue(ReviewFields.ReviewDate, out var date) || date.Kind == ItemValueKind.Null)
            errors.Add($"{ReviewFields.ReviewDate} is missing");
        else if (date.Kind != ItemValueKind.String)
            errors.Add($"{ReviewFields.ReviewDate} must be an ISO 8601 string, got {Describe(date.Kind)}");
        else if (!Iso8601.TryParseWithOffset(date.Text!, out _))
            errors.Add($"{ReviewFields.ReviewDate} '{Abbreviate(date.Text!)}' is not an ISO 8601 date-time with an offset or Z");

        foreach (var name in ReviewFields.OptionalStrings)
        {
            if (byName.TryGetValue(name, out var value) && value.Kind is not (ItemValueKind.String or ItemValueKind.Null))
                errors.Add($"{name} must be a string, got {Describe(value.Kind)}");
        }

        var verified = false;
        if (byName.TryGetValue(ReviewFields.VerifiedPurchase, out var flag) && flag.Kind != ItemValueKind.Null)
        {
            if (flag.Kind == ItemValueKind.Boolean) verified = flag.Bool;
            else errors.Add($"{ReviewFields.VerifiedPurchase} must be a boolean, got {Describe(flag.Kind)}");
        }

        if (errors.Count > 0) return ReviewParseResult.Reject(string.Join("; ", errors));

        var attributes = new List<KeyValuePair<string, ItemValue>>(fields.Count + 5);
        foreach (var (name, value) in fields)
        {
            if (ReviewFields.IsPipelineOwned(name)) continue;
            // An explicit null for an optional contract field means "not given": defaults below fill it in.
            if (value.Kind == ItemValueKind.Null && IsOptionalContractField(name)) continue;
            attributes.Add(new(name, name switch
            {
                ReviewFields.StarRating => Canonical(value, starRating!.Value),
                ReviewFields.HelpfulVotes => Canonical(value, helpfulVotes),
                _ => value,
            }));
        }
        if (!Present(byName, ReviewFields.HelpfulVotes)) attributes.Add(new(ReviewFields.HelpfulVotes, ZeroVotes));
        if (!Present(byName, ReviewFields.VerifiedPurchase)) attributes.Add(new(ReviewFields.VerifiedPurchase, ItemValue.Boolean(verified)));
        attributes.Add(new(ReviewFields.IngestionTimestamp, ItemValue.String(Iso8601.FormatUtcMillis(source.ArrivalTime))));
        attributes.Add(new(ReviewFields.SourceSequenceNumber, ItemValue.String(source.SequenceNumber)));
        attributes.Add(new(ReviewFields.SourceShardId, ItemValue.String(source.ShardId)));

        var size = 0;
        foreach (var (name, value) in attributes) size += DynamoDbItemRules.AttributeSize(name, value);
        if (size > DynamoDbItemRules.MaxItemBytes)
            return ReviewParseResult.Reject($"item is {size} bytes, over DynamoDB's {DynamoDbItemRules.MaxItemBytes}-byte (400 KB) item limit");

        return ReviewParseResult.Accept(new ReviewItem(id!.Text!, attributes, size));
    }

    private static readonly ItemValue ZeroVotes = ItemValue.Number("0");

    /// <summary>The integer as stored: the source value itself when its text already is the plain form ("4", not "+4" or "04").</summary>
    private static ItemValue Canonical(ItemValue source, long number)
    {
        var text = source.Text!;
        var plain = text.Length > 0 && text[0] != '+'
            && !(text[0] == '0' && text.Length > 1)
            && !(text[0] == '-' && (text.Length == 1 || text[1] == '0'));
        return plain ? source : ItemValue.Number(number.ToString(CultureInfo.InvariantCulture));
    }

    private static bool Present(FieldLookup byName, string name) =>
        byName.TryGetValue(name, out var value) && value.Kind != ItemValueKind.Null;

    private static bool IsOptionalContractField(string name) =>
        name is ReviewFields.HelpfulVotes or ReviewFields.VerifiedPurchase
            or ReviewFields.ReviewTitle or ReviewFields.ReviewText or ReviewFields.ProductCategory;

    private static long? ReadInteger(FieldLookup byName, string name, bool required, long min, long max, List<string> errors)
    {
        if (!byName.TryGetValue(name, out var value) || value.Kind == ItemValueKind.Null)
        {
            if (required) errors.Add($"{name} is missing");
            return null;
        }
        if (value.Kind != ItemValueKind.Number)
        {
            errors.Add($"{name} must be an integer, got {Describe(value.Kind)}");
            return null;
        }
        // Plain integer text only: "4.5", "4.0" and "4e0" are not the integers the contract asks for.
        if (!long.TryParse(value.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            errors.Add($"{name} must be an integer, got {Abbreviate(value.Text!)}");
            return null;
        }
        if (number < min || number > max)
        {
            errors.Add(max == long.MaxValue
                ? $"{name} must be at least {min}, got {number}"
                : $"{name} must be from {min} to {max}, got {number}");
            return null;
        }
        return number;
    }

    /// <summary>Converts a JSON object to attributes, enforcing what DynamoDB would otherwise reject mid-batch.</summary>
    private static string? ReadObject(JsonElement element, int depth, out List<KeyValuePair<string, ItemValue>> entries)
    {
        var count = element.GetPropertyCount();
        entries = new List<KeyValuePair<string, ItemValue>>(count);
        // Small objects (every review) check duplicates by scanning what was read; only big ones pay for a set.
        HashSet<string>? seen = count > SmallObject ? new HashSet<string>(count, StringComparer.Ordinal) : null;
        foreach (var property in element.EnumerateObject())
        {
            var name = NameOf(property);
            if (name.Length == 0) return "a field name is empty (DynamoDB attribute names need at least one character)";
            if (seen is not null ? !seen.Add(name) : Contains(entries, name)) return $"duplicate field '{Abbreviate(name)}'";
            var error = ReadValue(property.Value, depth, out var value);
            if (error is not null) return error;
            entries.Add(new(name, value));
        }
        return null;
    }

    private static string? ReadValue(JsonElement element, int depth, out ItemValue value)
    {
        value = ItemValue.NullValue;
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                value = ItemValue.String(element.GetString()!);
                return null;
            case JsonValueKind.Number:
                var text = element.GetRawText();
                var numberError = DynamoDbItemRules.TryAnalyzeNumber(text, out _);
                if (numberError is not null) return numberError;
                value = ItemValue.Number(text);
                return null;
            case JsonValueKind.True:
                value = ItemValue.True;
                return null;
            case JsonValueKind.False:
                value = ItemValue.False;
                return null;
            case JsonValueKind.Null:
                return null;
        }

        if (depth + 1 > DynamoDbItemRules.MaxNestingDepth)
            return $"nesting is deeper than DynamoDB's {DynamoDbItemRules.MaxNestingDepth} levels";
        if (element.ValueKind == JsonValueKind.Object)
        {
            var error = ReadObject(element, depth + 1, out var entries);
            if (error is not null) return error;
            value = ItemValue.Map(entries);
            return null;
        }

        var items = new List<ItemValue>(element.GetArrayLength());
        foreach (var child in element.EnumerateArray())
        {
            var error = ReadValue(child, depth + 1, out var item);
            if (error is not null) return error;
            items.Add(item);
        }
        value = ItemValue.List(items);
        return null;
    }

    private const int SmallObject = 16;

    private static readonly string[] ContractNames =
    [
        ReviewFields.ReviewId, ReviewFields.ReviewerId, ReviewFields.ProductId, ReviewFields.MarketplaceId,
        ReviewFields.StarRating, ReviewFields.ReviewDate, ReviewFields.ReviewTitle, ReviewFields.ReviewText,
        ReviewFields.ProductCategory, ReviewFields.HelpfulVotes, ReviewFields.VerifiedPurchase,
    ];

    private static readonly byte[][] ContractNamesUtf8 = [.. ContractNames.Select(Encoding.UTF8.GetBytes)];

    /// <summary>
    /// The property's name, reusing the contract's string for the contract's fields instead of allocating one per
    /// record. The raw (still escaped) name only matches when it has no escapes, so any other spelling decodes as before.
    /// </summary>
    private static string NameOf(JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        for (var k = 0; k < ContractNamesUtf8.Length; k++)
        {
            if (raw.SequenceEqual(ContractNamesUtf8[k])) return ContractNames[k];
        }
        return property.Name;
    }

    private static bool Contains(List<KeyValuePair<string, ItemValue>> entries, string name)
    {
        foreach (var entry in entries)
        {
            if (string.Equals(entry.Key, name, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    /// <summary>Name -> value over a list of distinct names, without allocating.</summary>
    private readonly struct FieldLookup(List<KeyValuePair<string, ItemValue>> fields)
    {
        public bool TryGetValue(string name, out ItemValue value)
        {
            foreach (var field in fields)
            {
                if (string.Equals(field.Key, name, StringComparison.Ordinal))
                {
                    value = field.Value;
                    return true;
                }
            }
            value = ItemValue.NullValue;
            return false;
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.Number => "number",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Null => "null",
        _ => "object",
    };

    private static string Describe(ItemValueKind kind) => kind switch
    {
        ItemValueKind.String => "string",
        ItemValueKind.Number => "number",
        ItemValueKind.Boolean => "boolean",
        ItemValueKind.Null => "null",
        ItemValueKind.List => "array",
        _ => "object",
    };

    private static string Abbreviate(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");
}

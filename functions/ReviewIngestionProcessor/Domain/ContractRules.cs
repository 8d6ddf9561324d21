using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Pipelines.Shared.Text;

namespace Pipelines.Reviews.Domain;

/// <summary>
/// The review contract's rules, checked once a whole review has been read: required strings, the key's size, star
/// rating and helpful votes as integers in range, an ISO 8601 date with an offset, the types of the optional fields.
/// Every problem is reported, in this fixed order, so producers can fix a record in one go.
/// </summary>
internal static class ContractRules
{
    private static readonly KnownField[] RequiredStrings =
        [KnownField.ReviewId, KnownField.ReviewerId, KnownField.ProductId, KnownField.MarketplaceId];

    private static readonly KnownField[] OptionalStrings =
        [KnownField.ReviewTitle, KnownField.ReviewText, KnownField.ProductCategory];

    /// <summary>Notes what the rules need of a string field: blankness, length, the id, whether a date is one.</summary>
    public static void NoteString(KnownField field, ReadOnlySpan<byte> utf8, ref FieldFact fact)
    {
        fact.Utf8Length = utf8.Length;
        if (field <= KnownField.MarketplaceId) fact.Blank = IsBlank(utf8);
        if (field == KnownField.ReviewId) fact.Text = Encoding.UTF8.GetString(utf8);
        if (field == KnownField.ReviewDate)
        {
            fact.IsDate = Iso8601.IsValidWithOffset(utf8);
            // Kept only to be quoted in the reject reason.
            if (!fact.IsDate) fact.Text = Encoding.UTF8.GetString(utf8);
        }
    }

    /// <summary>Notes whether a number is a plain integer (not "4.5", "4.0" or "4e0") and its value.</summary>
    public static void NoteInteger(ReadOnlySpan<byte> numberText, ref FieldFact fact)
    {
        fact.IsInteger = Utf8Parser.TryParse(numberText, out long value, out var consumed) && consumed == numberText.Length;
        fact.Integer = value;
        if (!fact.IsInteger) fact.Text = Encoding.UTF8.GetString(numberText);
    }

    /// <summary>Null when the review meets the contract, else every reason it does not, joined with "; ".</summary>
    public static string? Check(FieldFact[] facts)
    {
        List<string>? errors = null;
        foreach (var field in RequiredStrings)
        {
            var fact = facts[(int)field];
            if (!fact.IsGiven) Add(ref errors, $"{NameOf(field)} is missing");
            else if (fact.Kind != JsonTokenType.String) Add(ref errors, $"{NameOf(field)} must be a string, got {Describe(fact.Kind)}");
            else if (fact.Blank) Add(ref errors, $"{NameOf(field)} is empty");
        }
        var id = facts[(int)KnownField.ReviewId];
        if (id.Kind == JsonTokenType.String && id.Utf8Length > DynamoDbItemRules.MaxPartitionKeyBytes)
            Add(ref errors, $"{ReviewFields.ReviewId} is longer than DynamoDB's {DynamoDbItemRules.MaxPartitionKeyBytes}-byte partition key limit");

        CheckInteger(facts, KnownField.StarRating, required: true, min: 1, max: 5, ref errors);
        CheckInteger(facts, KnownField.HelpfulVotes, required: false, min: 0, max: long.MaxValue, ref errors);

        var date = facts[(int)KnownField.ReviewDate];
        if (!date.IsGiven)
            Add(ref errors, $"{ReviewFields.ReviewDate} is missing");
        else if (date.Kind != JsonTokenType.String)
            Add(ref errors, $"{ReviewFields.ReviewDate} must be an ISO 8601 string, got {Describe(date.Kind)}");
        else if (!date.IsDate)
            Add(ref errors, $"{ReviewFields.ReviewDate} '{Abbreviate(date.Text!)}' is not an ISO 8601 date-time with an offset or Z");

        foreach (var field in OptionalStrings)
        {
            var kind = facts[(int)field].Kind;
            if (kind is not (JsonTokenType.None or JsonTokenType.String or JsonTokenType.Null))
                Add(ref errors, $"{NameOf(field)} must be a string, got {Describe(kind)}");
        }

        var verified = facts[(int)KnownField.VerifiedPurchase];
        if (verified.IsGiven && verified.Kind is not (JsonTokenType.True or JsonTokenType.False))
            Add(ref errors, $"{ReviewFields.VerifiedPurchase} must be a boolean, got {Describe(verified.Kind)}");

        return errors is null ? null : string.Join("; ", errors);
    }

    private static void CheckInteger(FieldFact[] facts, KnownField field, bool required, long min, long max, ref List<string>? errors)
    {
        var fact = facts[(int)field];
        var name = NameOf(field);
        if (!fact.IsGiven)
        {
            if (required) Add(ref errors, $"{name} is missing");
        }
        else if (fact.Kind != JsonTokenType.Number)
        {
            Add(ref errors, $"{name} must be an integer, got {Describe(fact.Kind)}");
        }
        else if (!fact.IsInteger)
        {
            Add(ref errors, $"{name} must be an integer, got {Abbreviate(fact.Text!)}");
        }
        else if (fact.Integer < min || fact.Integer > max)
        {
            Add(ref errors, max == long.MaxValue
                ? $"{name} must be at least {min}, got {fact.Integer}"
                : $"{name} must be from {min} to {max}, got {fact.Integer}");
        }
    }

    /// <summary>Empty or only whitespace, as <see cref="string.IsNullOrWhiteSpace"/> judges the decoded text.</summary>
    private static bool IsBlank(ReadOnlySpan<byte> utf8)
    {
        while (!utf8.IsEmpty)
        {
            Rune.DecodeFromUtf8(utf8, out var rune, out var consumed);
            if (!Rune.IsWhiteSpace(rune)) return false;
            utf8 = utf8[consumed..];
        }
        return true;
    }

    private static void Add(ref List<string>? errors, string error) => (errors ??= []).Add(error);

    private static string NameOf(KnownField field) => ReviewFields.Known[(int)field];

    private static string Describe(JsonTokenType kind) => ReviewParser.Describe(kind);

    private static string Abbreviate(string text) => text.Length <= 60 ? text : string.Concat(text.AsSpan(0, 57), "...");
}

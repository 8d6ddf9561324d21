using System.Text;

namespace Pipelines.Reviews.Domain;

/// <summary>
/// DynamoDB's limits and item-size arithmetic, applied before writing: one invalid item makes a whole
/// BatchWriteItem call fail, so every item must be known-good before it is sent.
/// </summary>
internal static class DynamoDbItemRules
{
    /// <summary>400 KB, counting attribute names and values (not the 100-byte index overhead).</summary>
    public const int MaxItemBytes = 400 * 1024;

    public const int MaxPartitionKeyBytes = 2048;

    /// <summary>Lists and maps nest at most 32 levels deep.</summary>
    public const int MaxNestingDepth = 32;

    public const int MaxNumberDigits = 38;

    public static int Utf8Bytes(string text) => Encoding.UTF8.GetByteCount(text);

    /// <summary>One list element or map entry costs a byte on top of its value (and, in a map, its key).</summary>
    public const int ElementOverhead = 1;

    /// <summary>A list or map costs 3 bytes before its elements.</summary>
    public const int CollectionOverhead = 3;

    /// <summary>A boolean or a null.</summary>
    public const int ScalarSize = 1;

    /// <summary>Size of an attribute as DynamoDB counts it: UTF-8 name bytes plus the value's size.</summary>
    public static int AttributeSize(string name, ItemValue value) => Utf8Bytes(name) + ValueSize(value);

    /// <summary>
    /// Strings: UTF-8 bytes. Numbers: base-100 digit pairs plus a byte (see <see cref="NumberSize"/>). Booleans and
    /// nulls: 1. Lists and maps: 3 bytes, plus per element 1 byte and (for maps) the key's bytes. The parser adds the
    /// same terms up as it reads (<see cref="AttributeValueTranscoder"/>); this is the arithmetic in one place.
    /// </summary>
    public static int ValueSize(ItemValue value)
    {
        switch (value.Kind)
        {
            case ItemValueKind.String:
                return Utf8Bytes(value.Text!);
            case ItemValueKind.Number:
                return TryAnalyzeNumber(value.Text!, out var number) is null ? NumberSize(number) : 0;
            case ItemValueKind.Boolean:
            case ItemValueKind.Null:
                return ScalarSize;
            case ItemValueKind.List:
                var listSize = CollectionOverhead;
                foreach (var item in value.Items!) listSize += ElementOverhead + ValueSize(item);
                return listSize;
            default:
                var mapSize = CollectionOverhead;
                foreach (var (key, item) in value.Entries!) mapSize += ElementOverhead + Utf8Bytes(key) + ValueSize(item);
                return mapSize;
        }
    }

    /// <summary>Significant digits (leading and trailing zeros trimmed) and the power of ten of the first one.</summary>
    internal readonly record struct NumberShape(int Digits, long Exponent, bool Negative);

    /// <summary>
    /// Reads JSON number text and checks DynamoDB can hold it: at most 38 significant digits, magnitude between
    /// 1E-130 and 9.99..E+125. Returns null when it fits, otherwise the reason.
    /// </summary>
    public static string? TryAnalyzeNumber(string text, out NumberShape shape) =>
        TryAnalyzeNumber(Encoding.UTF8.GetBytes(text), out shape);

    /// <summary>The same, over the number's UTF-8 text as it sits in the payload (no string per number).</summary>
    public static string? TryAnalyzeNumber(ReadOnlySpan<byte> text, out NumberShape shape)
    {
        shape = default;
        var span = text;
        var negative = span.Length > 0 && span[0] == (byte)'-';
        if (negative) span = span[1..];

        var mantissaEnd = span.IndexOfAny((byte)'e', (byte)'E');
        var mantissa = mantissaEnd < 0 ? span : span[..mantissaEnd];
        long exponentPart = 0;
        if (mantissaEnd >= 0 && !TryParseExponent(span[(mantissaEnd + 1)..], out exponentPart))
            return $"number {Abbreviate(text)} has an exponent outside DynamoDB's range";

        var dot = mantissa.IndexOf((byte)'.');
        var integerDigits = dot < 0 ? mantissa.Length : dot;
        int digits = 0, firstNonZero = -1, lastNonZero = -1, position = 0;
        foreach (var c in mantissa)
        {
            if (c == (byte)'.') continue;
            if (c is < (byte)'0' or > (byte)'9') return $"number {Abbreviate(text)} is not a decimal number";
            if (c != (byte)'0')
            {
                if (firstNonZero < 0) firstNonZero = position;
                lastNonZero = position;
            }
            position++;
        }
        if (firstNonZero < 0)
        {
            shape = new NumberShape(0, 0, false);
            return null;
        }
        digits = lastNonZero - firstNonZero + 1;
        var exponent = integerDigits - 1 - firstNonZero + exponentPart;
        shape = new NumberShape(digits, exponent, negative);
        if (digits > MaxNumberDigits) return $"number {Abbreviate(text)} has more than {MaxNumberDigits} significant digits";
        if (exponent > 125) return $"number {Abbreviate(text)} is larger than DynamoDB's range (1E+126)";
        if (exponent < -130) return $"number {Abbreviate(text)} is smaller than DynamoDB's range (1E-130)";
        return null;
    }

    /// <summary>
    /// DynamoDB stores numbers as base-100 digit pairs: one byte per pair, an extra byte when the pairs do not align
    /// with the decimal point, one for the exponent and one for a sign (the arithmetic dynalite reproduces).
    /// </summary>
    public static int NumberSize(NumberShape number)
    {
        if (number.Digits == 0) return 1;
        var aligned = number.Digits % 2 != 0 || number.Exponent % 2 != 0;
        return 1 + (number.Digits + 1) / 2 + (aligned ? 0 : 1) + (number.Negative ? 1 : 0);
    }

    private static bool TryParseExponent(ReadOnlySpan<byte> text, out long value)
    {
        value = 0;
        var sign = 1;
        if (text.Length > 0 && text[0] is (byte)'+' or (byte)'-')
        {
            sign = text[0] == (byte)'-' ? -1 : 1;
            text = text[1..];
        }
        if (text.IsEmpty) return false;
        foreach (var c in text)
        {
            if (c is < (byte)'0' or > (byte)'9') return false;
            value = value * 10 + (c - '0');
            // Anything this large is out of range whatever the mantissa; stop before overflowing.
            if (value > 1_000_000) return false;
        }
        value *= sign;
        return true;
    }

    // Only reached on a reject, so the string is made only then.
    private static string Abbreviate(ReadOnlySpan<byte> utf8)
    {
        var text = Encoding.UTF8.GetString(utf8);
        return text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 37), "...");
    }
}

namespace Pipelines.Orders.Cdc.Domain;

/// <summary>
/// DynamoDB sends numbers as decimal text with up to 38 significant digits. We keep that exact text in the
/// CDC JSON (a double would turn 19.99 into 19.989999... and drop digits of large integers); only forms that
/// DynamoDB's grammar allows but JSON's does not are rewritten, without changing the value:
/// "+5" -> "5", "007" -> "7", ".5" -> "0.5", "5." -> "5", "-.5e3" -> "-0.5e3". Exponents stay as they are ("1E+3").
/// </summary>
internal static class DynamoNumber
{
    /// <summary>The JSON number text for a DynamoDB N value, or false when the text is not a number at all.</summary>
    public static bool TryToJson(string text, out string json)
    {
        json = text;
        if (!TrySplit(text, out var sign, out var intPart, out var fracPart, out var hasFrac, out var exponent)) return false;

        var trimmedInt = intPart.TrimStart('0');
        if (trimmedInt.IsEmpty) trimmedInt = "0";

        // Already valid JSON (the normal case): return the caller's string untouched, no allocation.
        if (sign != '+' && trimmedInt.Length == intPart.Length && (!hasFrac || fracPart.Length > 0))
            return true;

        json = string.Concat(
            sign == '-' ? "-" : "",
            trimmedInt.ToString(),
            hasFrac && fracPart.Length > 0 ? "." + fracPart.ToString() : "",
            exponent.ToString());
        return true;
    }

    /// <summary>
    /// True when UTF-8 <paramref name="text"/> is a number already in JSON's form, the text <see cref="TryToJson"/> would
    /// return unchanged: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?. False for forms it would rewrite and for non-numbers.
    /// </summary>
    public static bool IsJsonNumber(ReadOnlySpan<byte> text)
    {
        var i = 0;
        if (i < text.Length && text[i] == '-') i++;
        if (i >= text.Length) return false;
        if (text[i] == '0') i++;
        else if (!SkipDigits(text, ref i)) return false;

        if (i < text.Length && text[i] == '.')
        {
            i++;
            if (!SkipDigits(text, ref i)) return false;
        }
        if (i < text.Length && text[i] is (byte)'e' or (byte)'E')
        {
            i++;
            if (i < text.Length && text[i] is (byte)'+' or (byte)'-') i++;
            if (!SkipDigits(text, ref i)) return false;
        }
        return i == text.Length;
    }

    /// <summary>Moves past one or more ASCII digits; false when there is none.</summary>
    private static bool SkipDigits(ReadOnlySpan<byte> text, ref int i)
    {
        var start = i;
        while (i < text.Length && char.IsAsciiDigit((char)text[i])) i++;
        return i > start;
    }

    // Parts are slices of s, so checking the normal case allocates nothing.
    // sign: '\0', '+' or '-'; hasFrac: there is a '.' (fracPart is empty for "5."); exponent: empty or "e+3" as written.
    private static bool TrySplit(
        string s, out char sign, out ReadOnlySpan<char> intPart, out ReadOnlySpan<char> fracPart, out bool hasFrac,
        out ReadOnlySpan<char> exponent)
    {
        sign = '\0';
        fracPart = default;
        hasFrac = false;
        exponent = default;
        var i = 0;
        if (s.Length > 0 && s[0] is '+' or '-') sign = s[i++];

        var intStart = i;
        while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        intPart = s.AsSpan(intStart, i - intStart);

        if (i < s.Length && s[i] == '.')
        {
            var fracStart = ++i;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
            fracPart = s.AsSpan(fracStart, i - fracStart);
            hasFrac = true;
        }
        if (intPart.IsEmpty && fracPart.IsEmpty) return false; // no digits at all

        if (i < s.Length && s[i] is 'e' or 'E')
        {
            var expStart = i++;
            if (i < s.Length && s[i] is '+' or '-') i++;
            var digitsStart = i;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
            if (i == digitsStart) return false;
            exponent = s.AsSpan(expStart, i - expStart);
        }
        return i == s.Length;
    }
}

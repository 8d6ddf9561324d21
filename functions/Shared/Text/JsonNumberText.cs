namespace Pipelines.Shared.Text;

/// <summary>RFC 8259's number grammar over UTF-8, for byte scanners that read JSON without a reader.</summary>
public static class JsonNumberText
{
    /// <summary>
    /// The end of the number at <paramref name="start"/> by the grammar exactly
    /// (-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?); -1 when there is none. What follows is left to the caller:
    /// "01", "1." or "1x" are numbers only if the caller accepts what comes after "0" or "1".
    /// </summary>
    public static int End(ReadOnlySpan<byte> json, int start, out bool hasExponent)
    {
        hasExponent = false;
        var i = start;
        if (At(json, i) == '-') i++;
        if (At(json, i) == '0') i++;
        else if (!Digits(json, ref i)) return -1;
        if (At(json, i) == '.')
        {
            i++;
            if (!Digits(json, ref i)) return -1;
        }
        if (At(json, i) is 'e' or 'E')
        {
            hasExponent = true;
            i++;
            if (At(json, i) is '+' or '-') i++;
            if (!Digits(json, ref i)) return -1;
        }
        return i;
    }

    /// <summary>One or more digits.</summary>
    private static bool Digits(ReadOnlySpan<byte> json, ref int i)
    {
        var start = i;
        while (At(json, i) is >= '0' and <= '9') i++;
        return i > start;
    }

    /// <summary>The byte at <paramref name="i"/>; 0 (never valid there) past the end.</summary>
    private static int At(ReadOnlySpan<byte> json, int i) => (uint)i < (uint)json.Length ? json[i] : 0;
}

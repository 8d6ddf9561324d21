using System.Text.Json;

namespace Pipelines.Cli.Bench.Sinks;

/// <summary>
/// The PartiQL the bench's DynamoDB runs: <c>INSERT INTO "table" VALUE {'name': ?, ..}</c> (a bare table name
/// also), every value a <c>?</c> parameter. Anything else is refused, so a benchmark never measures a statement
/// whose effect it did not model.
/// </summary>
internal sealed record PartiQLInsertShape(string Table, string[] Attributes)
{
    /// <summary>The attribute names as JSON property names, encoded once: every INSERT's item is written with them.</summary>
    public JsonEncodedText[] EncodedAttributes { get; } = [.. Attributes.Select(a => JsonEncodedText.Encode(a))];

    /// <exception cref="FormatException">Not an INSERT of that shape.</exception>
    public static PartiQLInsertShape Parse(string statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var text = statement.AsSpan();
        var at = 0;
        Keyword(text, ref at, "INSERT", statement);
        Keyword(text, ref at, "INTO", statement);
        var table = TableName(text, ref at, statement);
        Keyword(text, ref at, "VALUE", statement);
        Expect(text, ref at, '{', statement);
        var attributes = new List<string>();
        do
        {
            attributes.Add(Quoted(text, ref at, '\'', statement));
            Expect(text, ref at, ':', statement);
            Expect(text, ref at, '?', statement);
        }
        while (TryConsume(text, ref at, ','));
        Expect(text, ref at, '}', statement);
        SkipSpace(text, ref at);
        if (at != text.Length) throw Malformed(statement, at, "the end of the statement");
        if (attributes.Distinct(StringComparer.Ordinal).Count() != attributes.Count) throw new FormatException($"An attribute appears twice in: {statement}");
        return new PartiQLInsertShape(table, [.. attributes]);
    }

    private static void Keyword(ReadOnlySpan<char> text, ref int at, string keyword, string statement)
    {
        SkipSpace(text, ref at);
        var end = at;
        while (end < text.Length && char.IsAsciiLetter(text[end])) end++;
        if (!text[at..end].Equals(keyword, StringComparison.OrdinalIgnoreCase)) throw Malformed(statement, at, keyword);
        at = end;
    }

    private static string TableName(ReadOnlySpan<char> text, ref int at, string statement)
    {
        SkipSpace(text, ref at);
        if (at < text.Length && text[at] == '"') return Quoted(text, ref at, '"', statement);
        var start = at;
        while (at < text.Length && (char.IsAsciiLetterOrDigit(text[at]) || text[at] is '_' or '.' or '-')) at++;
        return at > start ? text[start..at].ToString() : throw Malformed(statement, at, "a table name");
    }

    /// <summary>A <paramref name="quote"/>-quoted text; a doubled quote stands for one.</summary>
    private static string Quoted(ReadOnlySpan<char> text, ref int at, char quote, string statement)
    {
        SkipSpace(text, ref at);
        if (at >= text.Length || text[at] != quote) throw Malformed(statement, at, $"{quote}-quoted text");
        var value = new System.Text.StringBuilder();
        for (at++; at < text.Length; at++)
        {
            if (text[at] != quote)
            {
                value.Append(text[at]);
                continue;
            }
            if (at + 1 < text.Length && text[at + 1] == quote)
            {
                value.Append(quote);
                at++;
                continue;
            }
            at++;
            return value.ToString();
        }
        throw new FormatException($"Unterminated {quote}-quoted text in: {statement}");
    }

    private static bool TryConsume(ReadOnlySpan<char> text, ref int at, char c)
    {
        SkipSpace(text, ref at);
        if (at >= text.Length || text[at] != c) return false;
        at++;
        return true;
    }

    private static void Expect(ReadOnlySpan<char> text, ref int at, char c, string statement)
    {
        if (!TryConsume(text, ref at, c)) throw Malformed(statement, at, $"'{c}'");
    }

    private static void SkipSpace(ReadOnlySpan<char> text, ref int at)
    {
        while (at < text.Length && char.IsWhiteSpace(text[at])) at++;
    }

    private static FormatException Malformed(string statement, int at, string expected) =>
        new($"Statement wasn't well formed, can't be processed: expected {expected} at position {at} of: {statement}");
}

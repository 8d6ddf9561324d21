using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Pipelines.LocalCloud.DynamoDbPartiQL;

/// <summary>
/// One PartiQL <c>INSERT INTO table VALUE {'name': value, ...}</c> statement with its parameters bound, as DynamoDB
/// runs it: a put of that item that fails with DuplicateItem when an item with its key exists. Values are <c>?</c>
/// (bound in order from the request's Parameters, which are DynamoDB AttributeValues), single-quoted strings
/// (<c>''</c> escapes a quote) or numbers. That is the part of DynamoDB's PartiQL the local cloud needs
/// (dynalite has none); anything else is reported as a ValidationError naming what was not understood.
/// </summary>
public sealed record PartiQLInsert(string Table, JsonObject Item)
{
    /// <summary>Parses <paramref name="statement"/>, binding <paramref name="parameters"/> (null when the request has none).</summary>
    /// <exception cref="FormatException">The statement is not an INSERT this emulator understands, or the parameters don't match.</exception>
    public static PartiQLInsert Parse(string statement, JsonArray? parameters)
    {
        var shape = ParseShape(statement);
        var item = new JsonObject();
        var bound = 0;
        foreach (var (name, literal) in shape.Values)
        {
            JsonNode value;
            if (literal is not null) value = literal;
            else if (parameters is null || bound >= parameters.Count)
                throw new FormatException($"The statement has more ? placeholders than the {parameters?.Count ?? 0} parameters given.");
            else value = parameters[bound++]?.DeepClone() ?? throw new FormatException($"Parameter {bound} is null.");
            item.Add(name, value);
        }
        if (bound != (parameters?.Count ?? 0))
            throw new FormatException($"{parameters!.Count} parameters were given for {bound} ? placeholders.");
        return new PartiQLInsert(shape.Table, item);
    }

    /// <summary>
    /// The statement's table and its item's attributes in order, each with its literal AttributeValue, or null for a
    /// <c>?</c> placeholder (bound later, in order, from the request's parameters).
    /// </summary>
    /// <exception cref="FormatException">The statement is not an INSERT this emulator understands.</exception>
    public static (string Table, IReadOnlyList<(string Name, JsonObject? Literal)> Values) ParseShape(string statement)
    {
        ArgumentNullException.ThrowIfNull(statement);
        var text = new Scanner(statement);
        text.Keyword("INSERT");
        text.Keyword("INTO");
        var table = text.TableName();
        text.Keyword("VALUE");
        text.Expect('{');
        var values = new List<(string Name, JsonObject? Literal)>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var name = text.QuotedString();
            text.Expect(':');
            JsonObject? literal = null;
            if (!text.TryConsume('?'))
                literal = text.Peek() == '\'' ? new JsonObject { ["S"] = text.QuotedString() } : new JsonObject { ["N"] = text.Number() };
            if (!names.Add(name)) throw new FormatException($"Attribute '{name}' appears twice in the item.");
            values.Add((name, literal));
        }
        while (text.TryConsume(','));
        text.Expect('}');
        text.End();
        return (table, values);
    }

    /// <summary>A cursor over the statement text that skips whitespace before every token.</summary>
    private sealed class Scanner(string text)
    {
        private int _at;

        public char Peek()
        {
            SkipSpace();
            return _at < text.Length ? text[_at] : '\0';
        }

        public bool TryConsume(char c)
        {
            if (Peek() != c) return false;
            _at++;
            return true;
        }

        public void Expect(char c)
        {
            if (!TryConsume(c)) throw Unexpected($"'{c}'");
        }

        public void Keyword(string keyword)
        {
            SkipSpace();
            var end = _at;
            while (end < text.Length && char.IsAsciiLetter(text[end])) end++;
            if (!text.AsSpan(_at, end - _at).Equals(keyword, StringComparison.OrdinalIgnoreCase))
                throw Unexpected(keyword == "INSERT" ? "INSERT (the local cloud emulates only INSERT statements)" : keyword);
            _at = end;
        }

        /// <summary>A table name: double-quoted (<c>""</c> escapes a quote) or a bare identifier.</summary>
        public string TableName()
        {
            if (Peek() == '"') return Quoted('"');
            var start = _at;
            while (_at < text.Length && (char.IsAsciiLetterOrDigit(text[_at]) || text[_at] is '_' or '.' or '-')) _at++;
            return _at > start ? text[start.._at] : throw Unexpected("a table name");
        }

        public string QuotedString() => Peek() == '\'' ? Quoted('\'') : throw Unexpected("a single-quoted name or string");

        public string Number()
        {
            SkipSpace();
            var start = _at;
            while (_at < text.Length && (char.IsAsciiDigit(text[_at]) || text[_at] is '-' or '+' or '.' or 'e' or 'E')) _at++;
            var number = text[start.._at];
            return decimal.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
                ? number
                : throw Unexpected("?, a single-quoted string or a number");
        }

        public void End()
        {
            SkipSpace();
            if (_at < text.Length) throw Unexpected("the end of the statement");
        }

        private string Quoted(char quote)
        {
            _at++; // the opening quote
            var value = new StringBuilder();
            while (_at < text.Length)
            {
                var c = text[_at++];
                if (c != quote)
                {
                    value.Append(c);
                    continue;
                }
                if (_at < text.Length && text[_at] == quote)
                {
                    value.Append(quote);
                    _at++;
                    continue;
                }
                return value.ToString();
            }
            throw new FormatException($"Unterminated {quote}-quoted text in: {text}");
        }

        private void SkipSpace()
        {
            while (_at < text.Length && char.IsWhiteSpace(text[_at])) _at++;
        }

        private FormatException Unexpected(string expected) =>
            new($"Statement wasn't well formed: expected {expected} at position {_at} of: {text}");
    }
}

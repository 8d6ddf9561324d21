using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.Unicode;

namespace Pipelines.Catalog.Domain;

/// <summary>One field of a parsed line: its interned name and where its raw JSON value sits in <see cref="CatalogLineParser.Line"/>.</summary>
internal readonly record struct FieldToken(int NameId, int ValueStart, int ValueLength, bool IsNull);

/// <summary>
/// Validates one catalog line and splits it into fields without re-serialising anything: each field keeps the exact
/// JSON text the partner wrote (numbers keep their digits, strings their escapes). Required: <c>partner_id</c>,
/// <c>accommodation_id</c>, <c>content_type</c> as non-empty strings. Reuses its buffers from line to line.
/// </summary>
internal sealed class CatalogLineParser : IDisposable
{
    public const string PartnerIdField = "partner_id";
    public const string AccommodationIdField = "accommodation_id";
    public const string ContentTypeField = "content_type";
    public const string UpdatedAtField = "updated_at";
    public const string ConsolidatedFromField = "consolidated_from";
    public const string SourceObjectsField = "source_objects";

    private readonly FieldNameTable _names;
    private readonly List<FieldToken> _fields = [];
    private byte[] _line = ArrayPool<byte>.Shared.Rent(4096);
    private int _lineLength;
    // Per name id: the field index it had on the line numbered _seenGeneration (detects repeated keys in O(1)).
    private int[] _seenGeneration = new int[64];
    private int[] _seenIndex = new int[64];
    private int _generation;
    private readonly List<(byte[] Raw, int Id)> _namesByPosition = [];
    private (byte[] Raw, string Value) _lastPartner = ([], "");
    private (byte[] Raw, string Value) _lastContentType = ([], "");

    public CatalogLineParser(FieldNameTable names) => _names = names;

    public string PartnerId { get; private set; } = "";
    public string AccommodationId { get; private set; } = "";
    public string ContentType { get; private set; } = "";
    /// <summary>UTC ticks of a valid ISO 8601 <c>updated_at</c>, or <see cref="long.MinValue"/> when absent or unreadable.</summary>
    public long UpdatedAtTicks { get; private set; }
    public ReadOnlySpan<byte> Line => _line.AsSpan(0, _lineLength);
    public ReadOnlySpan<FieldToken> Fields => CollectionsMarshal.AsSpan(_fields);

    /// <summary>Parses <paramref name="line"/>; returns null when it is a valid record, else the reason it is not.</summary>
    public string? Parse(ReadOnlySequence<byte> line)
    {
        CopyToBuffer(line);
        _fields.Clear();
        PartnerId = AccommodationId = ContentType = "";
        UpdatedAtTicks = long.MinValue;
        if (++_generation == int.MaxValue)
        {
            Array.Clear(_seenGeneration);
            _generation = 1;
        }

        var bytes = Line;
        if (!Utf8.IsValid(bytes)) return "line is not valid UTF-8";
        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            if (!reader.Read()) return "line is empty";
            if (reader.TokenType != JsonTokenType.StartObject) return "line is not a JSON object";
            string? missing = null;
            var position = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var nameId = InternName(ref reader, position++);
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                var isNull = reader.TokenType == JsonTokenType.Null;
                missing ??= ReadWellKnown(nameId, ref reader);
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) reader.Skip();
                var length = (int)reader.BytesConsumed - start;
                // Our own lineage fields are recomputed on output, never taken from a partner.
                if (!IsOutputOnly(nameId)) AddField(new FieldToken(nameId, start, length, isNull));
            }
            if (reader.Read()) return "unexpected content after the JSON object";
            if (missing is not null) return missing;
        }
        catch (JsonException e)
        {
            return "not valid JSON: " + e.Message;
        }

        if (PartnerId.Length == 0) return $"missing required field '{PartnerIdField}'";
        if (AccommodationId.Length == 0) return $"missing required field '{AccommodationIdField}'";
        if (ContentType.Length == 0) return $"missing required field '{ContentTypeField}'";
        return null;
    }

    /// <summary>Reads the value of a field the consolidator needs; returns a rejection reason when it is unusable.</summary>
    private string? ReadWellKnown(int nameId, ref Utf8JsonReader reader)
    {
        var name = _names.NameOf(nameId);
        switch (name)
        {
            case PartnerIdField:
                PartnerId = RepeatedString(ref reader, name, ref _lastPartner, out var e1);
                return e1;
            case AccommodationIdField:
                AccommodationId = RequiredString(ref reader, name, out var e2);
                return e2;
            case ContentTypeField:
                ContentType = RepeatedString(ref reader, name, ref _lastContentType, out var e3);
                return e3;
            case UpdatedAtField:
                UpdatedAtTicks = reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var at)
                    ? at.UtcTicks
                    : long.MinValue;
                return null;
            default:
                return null;
        }
    }

    /// <summary>A required string that is usually the same as on the previous line (partner, content type): reuse that string.</summary>
    private static string RepeatedString(ref Utf8JsonReader reader, string name, ref (byte[] Raw, string Value) last, out string? error)
    {
        if (last.Value.Length > 0 && reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && reader.ValueSpan.SequenceEqual(last.Raw))
        {
            error = null;
            return last.Value;
        }
        var value = RequiredString(ref reader, name, out error);
        if (error is null && !reader.ValueIsEscaped) last = (reader.ValueSpan.ToArray(), value);
        return value;
    }

    private static string RequiredString(ref Utf8JsonReader reader, string name, out string? error)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            var value = reader.GetString()!;
            if (!string.IsNullOrWhiteSpace(value))
            {
                error = null;
                return value;
            }
        }
        error = $"field '{name}' must be a non-empty string";
        return "";
    }

    private bool IsOutputOnly(int nameId) => _names.NameOf(nameId) is ConsolidatedFromField or SourceObjectsField;

    private int InternName(ref Utf8JsonReader reader, int position)
    {
        // Lines of one file repeat the same names in the same order: compare raw bytes with the previous line's first.
        var raw = reader.ValueSpan;
        if (!reader.ValueIsEscaped && position < _namesByPosition.Count && _namesByPosition[position].Raw.AsSpan().SequenceEqual(raw))
            return _namesByPosition[position].Id;
        var id = InternNameSlow(ref reader);
        if (!reader.ValueIsEscaped && position <= _namesByPosition.Count && position < 256)
        {
            if (position == _namesByPosition.Count) _namesByPosition.Add((raw.ToArray(), id));
            else _namesByPosition[position] = (raw.ToArray(), id);
        }
        return id;
    }

    private int InternNameSlow(ref Utf8JsonReader reader)
    {
        var max = reader.ValueSpan.Length;
        char[]? rented = null;
        var chars = max <= 256 ? stackalloc char[max] : (rented = ArrayPool<char>.Shared.Rent(max));
        try
        {
            var n = reader.CopyString(chars);
            return _names.GetOrAdd(chars[..n]);
        }
        finally
        {
            if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        }
    }

    private void AddField(FieldToken field)
    {
        var id = field.NameId;
        if (id >= _seenGeneration.Length)
        {
            var size = Math.Max(id + 1, _seenGeneration.Length * 2);
            Array.Resize(ref _seenGeneration, size);
            Array.Resize(ref _seenIndex, size);
        }
        // A repeated key: the last occurrence wins (as in JavaScript and Python), at the first one's position.
        if (_seenGeneration[id] == _generation)
        {
            _fields[_seenIndex[id]] = field;
            return;
        }
        _seenGeneration[id] = _generation;
        _seenIndex[id] = _fields.Count;
        _fields.Add(field);
    }

    private void CopyToBuffer(ReadOnlySequence<byte> line)
    {
        if (line.Length > _line.Length)
        {
            ArrayPool<byte>.Shared.Return(_line);
            _line = ArrayPool<byte>.Shared.Rent(checked((int)line.Length));
        }
        line.CopyTo(_line);
        _lineLength = (int)line.Length;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_line);
        _line = [];
    }
}

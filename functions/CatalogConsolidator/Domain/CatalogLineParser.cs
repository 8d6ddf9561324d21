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
/// Lines of the usual shape are read by a byte scanner first (see CatalogLineParser.CommonShape.cs); anything it is
/// unsure of is read again by the <see cref="Utf8JsonReader"/> below, which alone decides reject reasons.
/// </summary>
internal sealed partial class CatalogLineParser : IDisposable
{
    public const string PartnerIdField = "partner_id";
    public const string AccommodationIdField = "accommodation_id";
    public const string ContentTypeField = "content_type";
    public const string UpdatedAtField = "updated_at";
    public const string ConsolidatedFromField = "consolidated_from";
    public const string SourceObjectsField = "source_objects";

    private readonly FieldNameTable _names;
    private readonly int _partnerIdName;
    private readonly int _accommodationIdName;
    private readonly int _contentTypeName;
    private readonly int _updatedAtName;
    private readonly int _consolidatedFromName;
    private readonly int _sourceObjectsName;
    private readonly List<FieldToken> _fields = [];
    // Lines split across the reader's buffers are copied here; the usual line is read where it lies.
    private byte[] _joined = ArrayPool<byte>.Shared.Rent(4096);
    private ReadOnlyMemory<byte> _line;
    // Per name id: the field index it had on the line numbered _seenGeneration (detects repeated keys in O(1)).
    private int[] _seenGeneration = new int[64];
    private int[] _seenIndex = new int[64];
    private int _generation;
    private readonly List<(byte[] Raw, int Id)> _namesByPosition = [];
    private readonly Utf8StringInterner _repeatedValues = new();
    private char[] _accommodationId = new char[64];
    private int _accommodationIdLength;
    private readonly bool _scanCommonShape;

    /// <param name="names">The invocation's field names.</param>
    /// <param name="scanCommonShape">False reads every line with the reader alone (tests compare the two ways).</param>
    public CatalogLineParser(FieldNameTable names, bool scanCommonShape = true)
    {
        ArgumentNullException.ThrowIfNull(names);
        _names = names;
        _scanCommonShape = scanCommonShape;
        // Interned up front so the fields the consolidator reads are recognised by id, not by comparing names.
        _partnerIdName = names.GetOrAdd(PartnerIdField);
        _accommodationIdName = names.GetOrAdd(AccommodationIdField);
        _contentTypeName = names.GetOrAdd(ContentTypeField);
        _updatedAtName = names.GetOrAdd(UpdatedAtField);
        _consolidatedFromName = names.GetOrAdd(ConsolidatedFromField);
        _sourceObjectsName = names.GetOrAdd(SourceObjectsField);
    }

    public string PartnerId { get; private set; } = "";
    /// <summary>Decoded into a reused buffer (valid until the next line): a string is made only for an accommodation not seen before.</summary>
    public ReadOnlySpan<char> AccommodationId => _accommodationId.AsSpan(0, _accommodationIdLength);
    public string ContentType { get; private set; } = "";
    /// <summary>UTC ticks of a valid ISO 8601 <c>updated_at</c>, or <see cref="long.MinValue"/> when absent or unreadable.</summary>
    public long UpdatedAtTicks { get; private set; }
    /// <summary>The line parsed last, where the field tokens point; valid while the line it was given is (until the reader moves on).</summary>
    public ReadOnlySpan<byte> Line => _line.Span;
    public ReadOnlySpan<FieldToken> Fields => CollectionsMarshal.AsSpan(_fields);
    /// <summary>Whether the last line was read by the byte scanner rather than the reader (tests check the usual shape stays on the fast path).</summary>
    internal bool LastLineScanned { get; private set; }

    /// <summary>Parses <paramref name="line"/>; returns null when it is a valid record, else the reason it is not.</summary>
    public string? Parse(ReadOnlySequence<byte> line)
    {
        _line = line.IsSingleSegment ? line.First : Join(line);
        BeginLine();
        LastLineScanned = false;
        var bytes = Line;
        if (!Utf8.IsValid(bytes)) return "line is not valid UTF-8";
        LastLineScanned = _scanCommonShape && TryScanCommonShape(bytes);
        if (LastLineScanned) return null;
        // Given up half-way (or not tried): the reader starts the line afresh and decides.
        if (_scanCommonShape) BeginLine();
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
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // InvalidOperationException: a lone escaped surrogate (valid JSON syntax, but no text) the reader won't unescape.
            return "not valid JSON: " + e.Message;
        }

        if (PartnerId.Length == 0) return $"missing required field '{PartnerIdField}'";
        if (_accommodationIdLength == 0) return $"missing required field '{AccommodationIdField}'";
        if (ContentType.Length == 0) return $"missing required field '{ContentTypeField}'";
        return null;
    }

    /// <summary>Forgets the previous line (or a scan given up half-way).</summary>
    private void BeginLine()
    {
        _fields.Clear();
        PartnerId = ContentType = "";
        _accommodationIdLength = 0;
        UpdatedAtTicks = long.MinValue;
        if (++_generation == int.MaxValue)
        {
            Array.Clear(_seenGeneration);
            _generation = 1;
        }
    }

    /// <summary>Reads the value of a field the consolidator needs; returns a rejection reason when it is unusable.</summary>
    private string? ReadWellKnown(int nameId, ref Utf8JsonReader reader)
    {
        string? error = null;
        if (nameId == _partnerIdName) PartnerId = RepeatedString(ref reader, PartnerIdField, out error);
        else if (nameId == _accommodationIdName) error = ReadAccommodationId(ref reader);
        else if (nameId == _contentTypeName) ContentType = RepeatedString(ref reader, ContentTypeField, out error);
        else if (nameId == _updatedAtName)
            UpdatedAtTicks = reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var at) ? at.UtcTicks : long.MinValue;
        return error;
    }

    /// <summary>A required string from a small set that repeats on every line (partner, content type): one shared string per value.</summary>
    private string RepeatedString(ref Utf8JsonReader reader, string name, out string? error)
    {
        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped) return RequiredString(ref reader, name, out error);
        var value = _repeatedValues.Intern(reader.ValueSpan);
        if (!string.IsNullOrWhiteSpace(value))
        {
            error = null;
            return value;
        }
        error = $"field '{name}' must be a non-empty string";
        return "";
    }

    private string? ReadAccommodationId(ref Utf8JsonReader reader)
    {
        _accommodationIdLength = 0;
        if (reader.TokenType == JsonTokenType.String)
        {
            // Unescaping never yields more chars than the raw value has bytes.
            if (_accommodationId.Length < reader.ValueSpan.Length) _accommodationId = new char[Math.Max(reader.ValueSpan.Length, _accommodationId.Length * 2)];
            var length = reader.CopyString(_accommodationId);
            if (!_accommodationId.AsSpan(0, length).IsWhiteSpace())
            {
                _accommodationIdLength = length;
                return null;
            }
        }
        return $"field '{AccommodationIdField}' must be a non-empty string";
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

    private bool IsOutputOnly(int nameId) => nameId == _consolidatedFromName || nameId == _sourceObjectsName;

    private int InternName(ref Utf8JsonReader reader, int position)
    {
        return reader.ValueIsEscaped ? InternNameSlow(ref reader) : InternRawName(reader.ValueSpan, position);
    }

    /// <summary>The id of a name written without escapes, at <paramref name="position"/> among the line's names.</summary>
    private int InternRawName(ReadOnlySpan<byte> raw, int position)
    {
        // Lines of one file repeat the same names in the same order: compare raw bytes with the previous line's first.
        if (position < _namesByPosition.Count && _namesByPosition[position].Raw.AsSpan().SequenceEqual(raw))
            return _namesByPosition[position].Id;
        var id = _names.GetOrAddUtf8(raw, out var stored);
        if (position < _namesByPosition.Count) _namesByPosition[position] = (stored, id);
        else if (position == _namesByPosition.Count && position < 256) _namesByPosition.Add((stored, id));
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

    private ReadOnlyMemory<byte> Join(ReadOnlySequence<byte> line)
    {
        if (line.Length > _joined.Length)
        {
            ArrayPool<byte>.Shared.Return(_joined);
            _joined = ArrayPool<byte>.Shared.Rent(checked((int)line.Length));
        }
        line.CopyTo(_joined);
        return _joined.AsMemory(0, (int)line.Length);
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_joined);
        _joined = [];
        _line = default;
    }
}

using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipelines.Catalog.Domain;

/// <summary>
/// Writes one output line for an accommodation: the fields in the winner's order (then fill-ins in their
/// contributors' priority order), each value exactly as the partner wrote it, plus <c>consolidated_from</c>
/// (contributing partner ids, best first) and <c>source_objects</c> (their objects as s3:// URIs).
/// </summary>
internal sealed class ConsolidatedRecordFormatter(ConsolidationContext context) : IDisposable
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly List<int> _order = [];
    private readonly List<string> _names = [];
    private readonly HashSet<int> _seen = [];
    private Utf8JsonWriter? _json;

    /// <summary>The formatted line without its newline; valid until the next call.</summary>
    public ReadOnlySpan<byte> Format(AccommodationGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        _buffer.ResetWrittenCount();
        var slots = group.Slots;
        var contributors = group.Contributors.ToArray();
        _order.Clear();
        for (var i = 0; i < slots.Length; i++) _order.Add(i);
        var slotArray = slots.ToArray();
        _order.Sort((a, b) =>
        {
            var sa = slotArray[a];
            var sb = slotArray[b];
            if (sa.Contributor != sb.Contributor)
            {
                var c = Contribution.CompareBestFirst(contributors[sa.Contributor], contributors[sb.Contributor]);
                if (c != 0) return c;
            }
            return sa.Position.CompareTo(sb.Position);
        });

        Write("{"u8);
        foreach (var i in _order)
        {
            Write("\""u8);
            Write(context.FieldNames.EncodedNameOf(slotArray[i].NameId));
            Write("\":"u8);
            Write(slotArray[i].Value);
            Write(","u8);
        }

        Write("\""u8);
        Write("consolidated_from"u8);
        Write("\":"u8);
        _names.Clear();
        _seen.Clear();
        foreach (var i in _order)
        {
            var partner = contributors[slotArray[i].Contributor].PartnerId;
            if (_seen.Add(partner)) _names.Add(context.PartnerIds[partner]);
        }
        WriteStringArray(_names);

        Write(",\""u8);
        Write("source_objects"u8);
        Write("\":"u8);
        _names.Clear();
        _seen.Clear();
        foreach (var i in _order)
        {
            var ordinal = contributors[slotArray[i].Contributor].ObjectOrdinal;
            if (_seen.Add(ordinal)) _names.Add(context.Sources[ordinal].Uri);
        }
        WriteStringArray(_names);
        Write("}"u8);
        return _buffer.WrittenSpan;
    }

    private void WriteStringArray(List<string> values)
    {
        if (_json is null) _json = new Utf8JsonWriter(_buffer, WriterOptions);
        else _json.Reset(_buffer);
        _json.WriteStartArray();
        foreach (var v in values) _json.WriteStringValue(v);
        _json.WriteEndArray();
        _json.Flush();
    }

    private void Write(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

    public void Dispose() => _json?.Dispose();
}

using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipelines.Catalog.Domain;

/// <summary>
/// Writes one output line for an accommodation: the fields in the winner's order (then fill-ins in their
/// contributors' priority order), each value exactly as the partner wrote it, plus <c>consolidated_from</c>
/// (contributing partner ids, best first) and <c>source_objects</c> (their objects as s3:// URIs).
/// Called once per accommodation, so it reuses its buffers and caches the escaped partner ids and URIs.
/// </summary>
internal sealed class ConsolidatedRecordFormatter(ConsolidationContext context)
{
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Dictionary<int, byte[]> _partnerJson = [];
    private readonly Dictionary<int, byte[]> _sourceJson = [];
    private readonly HashSet<int> _seen = [];
    private readonly HashSet<string> _seenUris = new(StringComparer.Ordinal);
    private int[] _order = new int[32];

    /// <summary>The formatted line without its newline; valid until the next call.</summary>
    public ReadOnlySpan<byte> Format(AccommodationGroup group)
    {
        ArgumentNullException.ThrowIfNull(group);
        _buffer.ResetWrittenCount();
        var slots = group.Slots;
        var contributors = group.Contributors;
        var order = SortSlots(slots, contributors);

        Write("{"u8);
        foreach (var i in order)
        {
            Write("\""u8);
            Write(context.FieldNames.EncodedNameOf(slots[i].NameId));
            Write("\":"u8);
            Write(slots[i].Value);
            Write(","u8);
        }

        Write("\"consolidated_from\":["u8);
        _seen.Clear();
        var first = true;
        foreach (var i in order)
        {
            var partner = contributors[slots[i].Contributor].PartnerId;
            if (!_seen.Add(partner)) continue;
            if (!first) Write(","u8);
            first = false;
            Write(Cached(_partnerJson, partner, static (c, id) => c.PartnerIds[id]));
        }

        Write("],\"source_objects\":["u8);
        _seenUris.Clear();
        first = true;
        foreach (var i in order)
        {
            // Deduplicated by URI: the same object can be named by two notifications in one batch.
            var ordinal = contributors[slots[i].Contributor].ObjectOrdinal;
            if (!_seenUris.Add(context.Sources[ordinal].Uri)) continue;
            if (!first) Write(","u8);
            first = false;
            Write(Cached(_sourceJson, ordinal, static (c, o) => c.Sources[o].Uri));
        }
        Write("]}"u8);
        return _buffer.WrittenSpan;
    }

    /// <summary>Slot indices ordered by contributor rank (best first), then by position in the contributor's record.</summary>
    private ReadOnlySpan<int> SortSlots(ReadOnlySpan<FieldSlot> slots, ReadOnlySpan<Contribution> contributors)
    {
        if (_order.Length < slots.Length) _order = new int[Math.Max(slots.Length, _order.Length * 2)];
        var order = _order.AsSpan(0, slots.Length);
        // Insertion sort: a record has tens of fields, and this runs once per accommodation without allocating.
        for (var i = 0; i < order.Length; i++)
        {
            var j = i;
            while (j > 0 && Compare(slots[order[j - 1]], slots[i], contributors) > 0)
            {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = i;
        }
        return order;
    }

    private static int Compare(in FieldSlot a, in FieldSlot b, ReadOnlySpan<Contribution> contributors)
    {
        if (a.Contributor != b.Contributor)
        {
            var c = Contribution.CompareBestFirst(contributors[a.Contributor], contributors[b.Contributor]);
            if (c != 0) return c;
        }
        return a.Position.CompareTo(b.Position);
    }

    private byte[] Cached(Dictionary<int, byte[]> cache, int id, Func<ConsolidationContext, int, string> text)
    {
        if (!cache.TryGetValue(id, out var json))
        {
            var encoded = JsonEncodedText.Encode(text(context, id), JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes;
            json = new byte[encoded.Length + 2];
            json[0] = json[^1] = (byte)'"';
            encoded.CopyTo(json.AsSpan(1));
            cache.Add(id, json);
        }
        return json;
    }

    private void Write(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);
}

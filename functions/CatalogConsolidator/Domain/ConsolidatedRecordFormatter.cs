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
    private byte[] _line = new byte[4096];
    private int _length;
    private readonly Dictionary<int, byte[]> _partnerJson = [];
    private readonly Dictionary<int, byte[]> _sourceJson = [];
    private readonly HashSet<int> _seen = [];
    private readonly HashSet<string> _seenUris = new(StringComparer.Ordinal);
    private int[] _order = new int[32];
    private int[] _ranked = new int[8];

    /// <summary>The formatted line without its newline; valid until the next call.</summary>
    public ReadOnlySpan<byte> Format(in AccommodationGroup group)
    {
        _length = 0;
        var values = context.Values;
        var slots = group.Slots(values);
        var contributors = group.Contributors(values);
        var order = SortSlots(slots, contributors);
        var ranked = RankedContributors(slots, order);

        Write("{"u8);
        foreach (var i in order)
        {
            ref readonly var slot = ref slots[i];
            Write(context.FieldNames.MemberPrefixOf(slot.NameId));
            Write(values.Read(contributors[slot.Contributor].Values, slot.Offset, slot.Length));
            Write(","u8);
        }

        Write("\"consolidated_from\":["u8);
        _seen.Clear();
        var first = true;
        foreach (var c in ranked)
        {
            var partner = contributors[c].Record.PartnerId;
            if (!_seen.Add(partner)) continue;
            if (!first) Write(","u8);
            first = false;
            Write(Cached(_partnerJson, partner, static (c, id) => c.PartnerIds[id]));
        }

        Write("],\"source_objects\":["u8);
        _seenUris.Clear();
        first = true;
        foreach (var c in ranked)
        {
            // Deduplicated by URI: the same object can be named by two notifications in one batch.
            var ordinal = contributors[c].Record.ObjectOrdinal;
            if (!_seenUris.Add(context.Sources[ordinal].Uri)) continue;
            if (!first) Write(","u8);
            first = false;
            Write(Cached(_sourceJson, ordinal, static (c, o) => c.Sources[o].Uri));
        }
        Write("]}"u8);
        return _line.AsSpan(0, _length);
    }

    /// <summary>The contributors that supplied a field, best first: each once, as slots of one contributor are adjacent in <paramref name="order"/>.</summary>
    private ReadOnlySpan<int> RankedContributors(ReadOnlySpan<FieldSlot> slots, ReadOnlySpan<int> order)
    {
        if (_ranked.Length < order.Length) _ranked = new int[Math.Max(order.Length, _ranked.Length * 2)];
        var count = 0;
        var previous = -1;
        foreach (var i in order)
        {
            var c = slots[i].Contributor;
            if (c == previous) continue;
            _ranked[count++] = previous = c;
        }
        return _ranked.AsSpan(0, count);
    }

    /// <summary>Slot indices ordered by contributor rank (best first), then by position in the contributor's record.</summary>
    private ReadOnlySpan<int> SortSlots(ReadOnlySpan<FieldSlot> slots, ReadOnlySpan<Contributor> contributors)
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

    private static int Compare(in FieldSlot a, in FieldSlot b, ReadOnlySpan<Contributor> contributors)
    {
        if (a.Contributor != b.Contributor)
        {
            var c = Contribution.CompareBestFirst(contributors[a.Contributor].Record, contributors[b.Contributor].Record);
            if (c != 0) return c;
        }
        // Within one contributor's block, values sit in the order of the record's fields (see FieldSlot).
        return a.Offset.CompareTo(b.Offset);
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

    private void Write(ReadOnlySpan<byte> bytes)
    {
        if (_length + bytes.Length > _line.Length) Array.Resize(ref _line, Math.Max(_length + bytes.Length, _line.Length * 2));
        bytes.CopyTo(_line.AsSpan(_length));
        _length += bytes.Length;
    }
}

using System.Diagnostics;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Pipelines.Catalog.Domain;

/// <summary>
/// Writes one output line per accommodation: the fields in the winner's order (then fill-ins in their contributors'
/// priority order), each value exactly as the partner wrote it, plus <c>consolidated_from</c> (contributing partner ids,
/// best first) and <c>source_objects</c> (their objects as s3:// URIs, each once). Called once per accommodation: the
/// line is measured first and then formatted straight into the writer's buffer, and the escaped partner ids and URIs
/// are made once per invocation.
/// </summary>
internal sealed class ConsolidatedRecordFormatter
{
    private static ReadOnlySpan<byte> ConsolidatedFrom => "\"consolidated_from\":["u8;
    private static ReadOnlySpan<byte> SourceObjects => "],\"source_objects\":["u8;

    private readonly ConsolidationContext _context;
    // Per object ordinal: the first ordinal with the same URI (the same object can be named twice in a batch).
    private readonly int[] _sourceId;
    private readonly byte[]?[] _sourceJson;
    private byte[]?[] _partnerJson = new byte[]?[8];
    // "Already listed for this line" marks, by partner id and source id: a line's stamp instead of clearing sets.
    private int[] _partnerSeen = new int[8];
    private readonly int[] _sourceSeen;
    private int _stamp;
    private int[] _order = new int[32];
    private int[] _ranked = new int[8];
    private int[] _partners = new int[8];
    private int[] _sources = new int[8];

    public ConsolidatedRecordFormatter(ConsolidationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        var count = context.Sources.Count;
        _sourceId = new int[count];
        _sourceJson = new byte[]?[count];
        _sourceSeen = new int[count];
        var firstByUri = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            if (!firstByUri.TryGetValue(context.Sources[i].Uri, out var first)) firstByUri.Add(context.Sources[i].Uri, first = i);
            _sourceId[i] = first;
        }
    }

    /// <summary>Formats <paramref name="group"/>'s line into <paramref name="writer"/>, attributed to the group's messages.</summary>
    public void Write(in AccommodationGroup group, RollingJsonlWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var values = _context.Values;
        var names = _context.FieldNames;
        var slots = group.Slots(values);
        var contributors = group.Contributors(values);
        var order = SortSlots(slots, contributors);
        var ranked = RankedContributors(slots, order);
        var (partnerCount, sourceCount) = Lineage(ranked, contributors);
        var partners = _partners.AsSpan(0, partnerCount);
        var sources = _sources.AsSpan(0, sourceCount);

        var length = 1 + ConsolidatedFrom.Length + SourceObjects.Length + 2 + Math.Max(0, partners.Length - 1) + Math.Max(0, sources.Length - 1);
        foreach (var i in order) length += names.MemberPrefixOf(slots[i].NameId).Length + slots[i].Length + 1;
        foreach (var p in partners) length += PartnerJson(p).Length;
        foreach (var s in sources) length += SourceJson(s).Length;

        var line = writer.ReserveLine(length);
        var at = 0;
        line[at++] = (byte)'{';
        foreach (var i in order)
        {
            ref readonly var slot = ref slots[i];
            Put(line, ref at, names.MemberPrefixOf(slot.NameId));
            Put(line, ref at, values.Read(contributors[slot.Contributor].Values, slot.Offset, slot.Length));
            line[at++] = (byte)',';
        }
        Put(line, ref at, ConsolidatedFrom);
        for (var k = 0; k < partners.Length; k++)
        {
            if (k > 0) line[at++] = (byte)',';
            Put(line, ref at, PartnerJson(partners[k]));
        }
        Put(line, ref at, SourceObjects);
        for (var k = 0; k < sources.Length; k++)
        {
            if (k > 0) line[at++] = (byte)',';
            Put(line, ref at, SourceJson(sources[k]));
        }
        line[at++] = (byte)']';
        line[at++] = (byte)'}';
        Debug.Assert(at == length, "the line was measured exactly");
        writer.CommitLine(group.Messages);
    }

    /// <summary>Lists in <see cref="_partners"/> and <see cref="_sources"/> the ranked contributors' partners and objects, best first, each once.</summary>
    private (int Partners, int Sources) Lineage(ReadOnlySpan<int> ranked, ReadOnlySpan<Contributor> contributors)
    {
        if (++_stamp == int.MaxValue)
        {
            Array.Clear(_partnerSeen);
            Array.Clear(_sourceSeen);
            _stamp = 1;
        }
        if (_partners.Length < ranked.Length) (_partners, _sources) = (new int[ranked.Length * 2], new int[ranked.Length * 2]);
        var partnerCount = 0;
        var sourceCount = 0;
        foreach (var c in ranked)
        {
            var record = contributors[c].Record;
            if (record.PartnerId >= _partnerSeen.Length) Array.Resize(ref _partnerSeen, Math.Max(record.PartnerId + 1, _partnerSeen.Length * 2));
            if (_partnerSeen[record.PartnerId] != _stamp)
            {
                _partnerSeen[record.PartnerId] = _stamp;
                _partners[partnerCount++] = record.PartnerId;
            }
            var source = _sourceId[record.ObjectOrdinal];
            if (_sourceSeen[source] != _stamp)
            {
                _sourceSeen[source] = _stamp;
                _sources[sourceCount++] = source;
            }
        }
        return (partnerCount, sourceCount);
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
        // Insertion sort: a record has tens of fields, and this runs once per accommodation without allocating. The
        // common group of one record is already in order, which this finds in one pass.
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

    private byte[] PartnerJson(int partnerId)
    {
        if (partnerId >= _partnerJson.Length) Array.Resize(ref _partnerJson, Math.Max(partnerId + 1, _partnerJson.Length * 2));
        return _partnerJson[partnerId] ??= Quoted(_context.PartnerIds[partnerId]);
    }

    private byte[] SourceJson(int source) => _sourceJson[source] ??= Quoted(_context.Sources[source].Uri);

    private static byte[] Quoted(string text)
    {
        var encoded = JsonEncodedText.Encode(text, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes;
        var json = new byte[encoded.Length + 2];
        json[0] = json[^1] = (byte)'"';
        encoded.CopyTo(json.AsSpan(1));
        return json;
    }

    private static void Put(Span<byte> line, ref int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(line[at..]);
        at += bytes.Length;
    }
}

using System.Runtime.InteropServices;
using Pipelines.Shared.Kinesis;
using Pipelines.Shared.Text;

namespace Pipelines.Counties.Domain;

/// <summary>
/// Counts a batch's rows per county and names each count so that the per-county sum stays exact however Lambda
/// re-slices the shard on retries. Per row it keeps only what the items need: the county's first row, its last
/// sequence number and a count. Reused from batch to batch (county names are remembered); not thread-safe.
/// </summary>
/// <remarks>
/// <para>The item for county C in a batch is keyed (C, BatchId) where BatchId is
/// <c>&lt;arrival ISO ms&gt;#&lt;shardId&gt;#&lt;sequence number&gt;</c> of C's FIRST row in the batch, and holds the
/// number of C's rows in the batch. (Keying by the batch's first record instead is wrong: a bisected retry
/// [r1..r5] rewrites key r1 for the counties it sees, but an item a failed attempt over [r1..r10] left under r1
/// for a county only in r6..r10 survives, and the retry [r6..r10] counts those rows again under r6.)</para>
/// <para>Why the sum is exact: the handler acknowledges a batch all or nothing (any failure reports the batch's
/// first record, so a retry starts where the failed attempt started), and Lambda only ever starts an attempt at
/// the shard's current checkpoint: plain retries, larger or smaller retries and both halves of a bisect do. Take
/// any item an attempt A over [s..e] wrote, keyed by c, C's first row in [s..e]. Row c is eventually acknowledged
/// by exactly one successful attempt S over [s'..e'], later than A, and s' &gt;= s because the checkpoint never
/// moves back. [s'..c) lies inside [s..c), which holds no row of C, so c is also C's first row in S and S writes
/// the same key, overwriting A's item. So the items left are exactly one per (county, acknowledged batch), with
/// disjoint row sets that cover every counted row. The same batch delivered twice writes identical items.</para>
/// <para>Limits: if Lambda finally discards a range (retries exhausted), items its failed attempts wrote can
/// remain; replaying that range from its first record (the on-failure destination names it) rewrites them. The
/// argument assumes the checkpoint never moves back: re-reading already acknowledged records with different batch
/// boundaries (which Lambda does not do) could count them twice.</para>
/// </remarks>
internal sealed class CountyBatchCounter
{
    private readonly CountyNames _names = new();
    private readonly List<Group> _groups = [];
    // Records of one Lambda batch come from a single shard; grouping by shard too keeps a hand-built multi-shard
    // event correct. Per shard of the batch: county id -> its group's index + 1 (0: no row yet).
    private readonly List<ShardGroups> _shards = [];

    /// <summary>Rows added since the last <see cref="Clear"/>.</summary>
    public int Rows { get; private set; }

    /// <summary>
    /// Counts one valid row of county <paramref name="countyUtf8"/> (trimmed UTF-8): the <paramref name="row"/>-th
    /// record of the batch, from shard <paramref name="shardId"/>. Rows are identified by position so that only the
    /// few rows an item names ever get their lineage strings made (<see cref="Counts"/>).
    /// </summary>
    public void Add(string shardId, int row, ReadOnlySpan<byte> countyUtf8)
    {
        Rows++;
        var county = _names.IdOf(countyUtf8);
        var groupOf = GroupsOf(shardId, county);
        var index = groupOf[county] - 1;
        if (index < 0)
        {
            _groups.Add(new Group(county, row));
            groupOf[county] = _groups.Count;
            return;
        }
        ref var group = ref CollectionsMarshal.AsSpan(_groups)[index];
        group.Count++;
        group.LastRow = row;
    }

    /// <summary>
    /// One item per (shard, county) seen since the last <see cref="Clear"/>, in order of first appearance;
    /// <paramref name="sourceOf"/> gives the lineage of a row position passed to <see cref="Add"/>.
    /// </summary>
    public List<CountyBatchCount> Counts(Func<int, SourceRecord> sourceOf)
    {
        ArgumentNullException.ThrowIfNull(sourceOf);
        var result = new List<CountyBatchCount>(_groups.Count);
        foreach (var group in _groups)
        {
            var first = sourceOf(group.FirstRow);
            var timestamp = Iso8601.FormatUtcMillis(first.ArrivalTime);
            result.Add(new CountyBatchCount(
                _names[group.County],
                BatchId(timestamp, first),
                timestamp,
                group.Count,
                first.ShardId,
                first.SequenceNumber,
                sourceOf(group.LastRow).SequenceNumber));
        }
        return result;
    }

    /// <summary>Starts a new batch.</summary>
    public void Clear()
    {
        Rows = 0;
        _groups.Clear();
        _shards.Clear();
        _names.ForgetIfFull();
    }

    /// <summary>Sorts by time (fixed-width ISO instant first), unique per shard position, same on every delivery.</summary>
    public static string BatchId(SourceRecord first) => BatchId(Iso8601.FormatUtcMillis(first.ArrivalTime), first);

    private static string BatchId(string timestamp, SourceRecord first) => $"{timestamp}#{first.ShardId}#{first.SequenceNumber}";

    /// <summary>The shard's county -> group table, big enough to hold <paramref name="county"/>.</summary>
    private int[] GroupsOf(string shardId, int county)
    {
        ShardGroups? shard = null;
        foreach (var s in _shards)
        {
            if (ReferenceEquals(s.ShardId, shardId) || string.Equals(s.ShardId, shardId, StringComparison.Ordinal))
            {
                shard = s;
                break;
            }
        }
        if (shard is null)
        {
            shard = new ShardGroups(shardId, new int[Math.Max(64, _names.Count)]);
            _shards.Add(shard);
        }
        if (county >= shard.GroupOf.Length)
        {
            var grown = shard.GroupOf;
            Array.Resize(ref grown, Math.Max(county + 1, grown.Length * 2));
            shard.GroupOf = grown;
        }
        return shard.GroupOf;
    }

    /// <summary>A county's rows in the batch so far: the first (it names the item), the last and how many.</summary>
    private struct Group(int county, int firstRow)
    {
        public int County { get; } = county;

        public int FirstRow { get; } = firstRow;

        public int LastRow { get; set; } = firstRow;

        public int Count { get; set; } = 1;
    }

    private sealed class ShardGroups(string shardId, int[] groupOf)
    {
        public string ShardId { get; } = shardId;

        public int[] GroupOf { get; set; } = groupOf;
    }
}

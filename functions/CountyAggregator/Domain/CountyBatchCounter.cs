using Pipelines.Shared.Kinesis;
using Pipelines.Shared.Text;

namespace Pipelines.Counties.Domain;

/// <summary>A row that passed validation, with where it came from.</summary>
internal readonly record struct CountedRow(SourceRecord Source, string County);

/// <summary>
/// Counts a batch's rows per county and names each count so that the per-county sum stays exact however Lambda
/// re-slices the shard on retries.
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
internal static class CountyBatchCounter
{
    public static IReadOnlyList<CountyBatchCount> Count(IReadOnlyList<CountedRow> rows)
    {
        // Records of one Lambda batch come from a single shard; grouping by shard too keeps a hand-built
        // multi-shard event correct. Order of first appearance keeps the output deterministic.
        var groups = new Dictionary<(string Shard, string County), int>(rows.Count);
        // Per group: its first and last row (indexes into rows) and how many rows it has.
        var tallies = new List<(int First, int Last, int Count)>(rows.Count);
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            var key = (row.Source.ShardId, row.County);
            if (groups.TryGetValue(key, out var index))
            {
                var tally = tallies[index];
                tallies[index] = (tally.First, r, tally.Count + 1);
                continue;
            }
            groups[key] = tallies.Count;
            tallies.Add((r, r, 1));
        }

        var result = new List<CountyBatchCount>(tallies.Count);
        foreach (var (firstIndex, lastIndex, count) in tallies)
        {
            var first = rows[firstIndex].Source;
            var timestamp = Iso8601.FormatUtcMillis(first.ArrivalTime);
            result.Add(new CountyBatchCount(
                rows[firstIndex].County,
                BatchId(timestamp, first),
                timestamp,
                count,
                first.ShardId,
                first.SequenceNumber,
                rows[lastIndex].Source.SequenceNumber));
        }
        return result;
    }

    /// <summary>Sorts by time (fixed-width ISO instant first), unique per shard position, same on every delivery.</summary>
    public static string BatchId(SourceRecord first) => BatchId(Iso8601.FormatUtcMillis(first.ArrivalTime), first);

    private static string BatchId(string timestamp, SourceRecord first) => $"{timestamp}#{first.ShardId}#{first.SequenceNumber}";
}

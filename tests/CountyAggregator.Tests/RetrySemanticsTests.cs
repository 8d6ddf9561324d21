using FluentAssertions;
using NUnit.Framework;
using Pipelines.Counties.Domain;

namespace Pipelines.Tests.CountyAggregator;

/// <summary>
/// Replays the ways a Kinesis event source mapping re-slices a shard (same batch again, retry from the reported
/// record, bisect on error, a larger retry) against a table keyed (County, BatchId), and checks the per-county sum
/// over the items left equals the number of rows. Attempts may die after writing only some of their items.
/// </summary>
public class RetrySemanticsTests
{
    private static readonly string[] Counties = ["Delaware", "Ulster", "Essex", "Hamilton", "Lewis", "Otsego"];

    [Test]
    public void The_same_batch_delivered_twice_leaves_the_same_items()
    {
        var table = new Table();
        var rows = Stream(10, seed: 1);

        table.Write(CountedRows.Count(rows));
        var once = table.Snapshot();
        table.Write(CountedRows.Count(rows));

        table.Snapshot().Should().Equal(once);
        table.Totals().Should().Equal(TrueTotals(rows));
    }

    [Test]
    public void A_bisected_retry_after_a_failed_attempt_does_not_double_count()
    {
        var table = new Table();
        var rows = CountyBatchCounterTests.Rows("Delaware", "Ulster", "Delaware", "Essex", "Essex", "Ulster", "Essex", "Hamilton");

        // [r0..r7] writes everything and then dies (a timeout): Lambda bisects into [r0..r3] and [r4..r7].
        table.Write(CountedRows.Count(rows));
        table.Write(CountedRows.Count(rows[..4]));
        table.Write(CountedRows.Count(rows[4..]));

        table.Totals().Should().Equal(TrueTotals(rows));
    }

    [Test]
    public void A_larger_retry_from_the_same_record_overwrites_the_smaller_attempt()
    {
        var table = new Table();
        var rows = Stream(30, seed: 2);

        table.Write(CountedRows.Count(rows[..12]).Take(2));
        table.Write(CountedRows.Count(rows));

        table.Totals().Should().Equal(TrueTotals(rows));
    }

    [Test]
    public void A_retry_from_the_reported_first_record_after_a_partial_write_is_exact()
    {
        var table = new Table();
        var rows = Stream(20, seed: 3);

        // Two of the batch's items were written before the sink gave up; the handler reports the batch's first record.
        table.Write(CountedRows.Count(rows).Skip(1).Take(2));
        table.Write(CountedRows.Count(rows));

        table.Totals().Should().Equal(TrueTotals(rows));
    }

    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    [TestCase(4)]
    [TestCase(5)]
    public void Any_history_of_failed_attempts_bisects_and_retries_ends_with_exact_totals(int seed)
    {
        var random = new Random(seed);
        var rows = Stream(400, seed);
        var table = new Table();
        var checkpoint = 0;
        var attempts = 0;
        var pending = new Stack<(int Start, int End)>();
        while (checkpoint < rows.Count)
        {
            attempts++;
            // Lambda always starts at the checkpoint; a retry may be larger or smaller than the attempt before it.
            var (start, end) = pending.Count > 0 ? pending.Pop() : (checkpoint, Math.Min(rows.Count, checkpoint + random.Next(1, 60)));
            start.Should().Be(checkpoint);
            var items = CountedRows.Count(rows[start..end]);
            switch (random.Next(4))
            {
                case 0:
                    // Dies part way (timeout): some items landed, then Lambda bisects.
                    table.Write(items.Where(_ => random.Next(2) == 0));
                    if (end - start > 1)
                    {
                        var mid = start + (end - start) / 2;
                        pending.Push((mid, end));
                        pending.Push((start, mid));
                    }
                    else pending.Push((start, end));
                    break;
                case 1:
                    // Sink gave up on some items: the handler reports the first record, the retry may be bigger.
                    table.Write(items.Where(_ => random.Next(2) == 0));
                    pending.Clear();
                    break;
                default:
                    table.Write(items);
                    checkpoint = end;
                    if (random.Next(5) == 0) table.Write(items);
                    break;
            }
        }

        attempts.Should().BeGreaterThan(20);
        table.Totals().Should().Equal(TrueTotals(rows));
    }

    private static List<CountedRow> Stream(int count, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count)
            .Select(i => new CountedRow(SampleRows.Source(i), Counties[random.Next(Counties.Length)]))
            .ToList();
    }

    private static SortedDictionary<string, int> TrueTotals(IEnumerable<CountedRow> rows) =>
        new(rows.GroupBy(r => r.County).ToDictionary(g => g.Key, g => g.Count()), StringComparer.Ordinal);

    /// <summary>A DynamoDB table keyed (County, BatchId): a put replaces the item with the same key.</summary>
    private sealed class Table
    {
        private readonly Dictionary<(string County, string BatchId), CountyBatchCount> _items = [];

        public void Write(IEnumerable<CountyBatchCount> items)
        {
            foreach (var item in items) _items[(item.County, item.BatchId)] = item;
        }

        public List<CountyBatchCount> Snapshot() => _items.Values.OrderBy(i => i.County, StringComparer.Ordinal).ThenBy(i => i.BatchId, StringComparer.Ordinal).ToList();

        public SortedDictionary<string, int> Totals() =>
            new(_items.Values.GroupBy(i => i.County).ToDictionary(g => g.Key, g => g.Sum(i => i.Count)), StringComparer.Ordinal);
    }
}

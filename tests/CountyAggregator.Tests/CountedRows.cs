using System.Text;
using Pipelines.Counties.Domain;
using Pipelines.Shared.Kinesis;

namespace Pipelines.Tests.CountyAggregator;

/// <summary>A row that passed validation, with where it came from (test data for the counter).</summary>
internal readonly record struct CountedRow(SourceRecord Source, string County);

internal static class CountedRows
{
    /// <summary>The items one batch of <paramref name="rows"/> yields, counted by a fresh counter.</summary>
    public static List<CountyBatchCount> Count(IEnumerable<CountedRow> rows) => Count(new CountyBatchCounter(), rows);

    /// <summary>The items one batch of <paramref name="rows"/> yields from <paramref name="counter"/>, which is then ready for the next batch.</summary>
    public static List<CountyBatchCount> Count(CountyBatchCounter counter, IEnumerable<CountedRow> rows)
    {
        var list = rows.ToList();
        for (var i = 0; i < list.Count; i++) counter.Add(list[i].Source.ShardId, i, Encoding.UTF8.GetBytes(list[i].County));
        var counts = counter.Counts(i => list[i].Source);
        counter.Clear();
        return counts;
    }
}

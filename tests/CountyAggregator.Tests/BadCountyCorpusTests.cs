using FluentAssertions;
using NUnit.Framework;
using Pipelines.Counties.Domain;
using Pipelines.Shared.Kinesis;

namespace Pipelines.Tests.CountyAggregator;

public class BadCountyCorpusTests
{
    private static IEnumerable<BadCountyCorpus.Case> Cases => BadCountyCorpus.All;

    [Test]
    public void The_corpus_holds_at_least_twenty_distinct_bad_inputs()
    {
        BadCountyCorpus.All.Should().HaveCountGreaterThanOrEqualTo(20);
        BadCountyCorpus.All.Select(c => c.Data).Should().OnlyHaveUniqueItems();
    }

    [TestCaseSource(nameof(Cases))]
    public void Each_bad_input_is_rejected_with_its_reason(BadCountyCorpus.Case bad)
    {
        var error = PooledPayload.TryDecode(bad.Data, out var payload);
        using (payload)
        {
            error ??= CountyRowParser.Parse(payload.Span).RejectReason;
        }

        error.Should().NotBeNull().And.Contain(bad.Reason);
    }

    [Test]
    public void The_corpus_baseline_row_itself_is_valid()
    {
        SampleRows.Parse(BadCountyCorpus.Good()).County.Should().Be("Delaware");
    }
}

using FluentAssertions;
using NUnit.Framework;
using Pipelines.Reviews.Domain;
using Pipelines.Shared.Kinesis;

namespace Pipelines.Tests.ReviewIngestionProcessor;

public class BadReviewCorpusTests
{
    private static IEnumerable<BadReviewCorpus.Case> Cases => BadReviewCorpus.All;

    [Test]
    public void The_corpus_holds_at_least_twenty_distinct_bad_inputs()
    {
        BadReviewCorpus.All.Should().HaveCountGreaterThanOrEqualTo(20);
        BadReviewCorpus.All.Select(c => c.Data).Should().OnlyHaveUniqueItems();
    }

    [TestCaseSource(nameof(Cases))]
    public void Each_bad_input_is_rejected_with_its_reason(BadReviewCorpus.Case bad)
    {
        var error = PooledPayload.TryDecode(bad.Data, out var payload);
        using (payload)
        {
            error ??= ReviewParser.Parse(payload.Span, SampleReviews.Source).RejectReason;
        }

        error.Should().NotBeNull().And.Contain(bad.Reason);
    }

    [Test]
    public void The_corpus_baseline_review_itself_is_valid()
    {
        SampleReviews.Parse(BadReviewCorpus.Valid()).RejectReason.Should().BeNull();
    }
}

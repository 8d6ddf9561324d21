using Amazon.DynamoDBv2.Model;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Catalog.Priority;

namespace Pipelines.Tests.CatalogConsolidator.Processing;

public class PriorityRowTests
{
    [Test]
    public void Reads_partner_lists_as_written_and_tolerates_string_sets_and_gaps()
    {
        var item = new Dictionary<string, AttributeValue>
        {
            ["ContentType"] = new() { S = "hotel" },
            ["partners"] = new() { L = [new() { S = "b" }, new() { S = "a" }, new() { N = "3" }] },
            ["blacklisted"] = new() { SS = ["x", "y"] },
        };

        DynamoDbPartnerPrioritySource.Strings(item, "partners").Should().Equal("b", "a");
        DynamoDbPartnerPrioritySource.Strings(item, "blacklisted").Should().BeEquivalentTo("x", "y");
        DynamoDbPartnerPrioritySource.Strings(item, "missing").Should().BeEmpty();
    }
}

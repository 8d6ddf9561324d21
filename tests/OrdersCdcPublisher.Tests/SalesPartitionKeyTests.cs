using FluentAssertions;
using NUnit.Framework;
using Pipelines.Orders.Cdc.Domain;

namespace Pipelines.Tests.OrdersCdcPublisher;

public class SalesPartitionKeyTests
{
    [Test]
    public void The_orderid_is_the_partition_key()
    {
        SalesPartitionKey.For("0f8fad5b-d9cb-469f-a165-70867728950e").Should().Be("0f8fad5b-d9cb-469f-a165-70867728950e");
        SalesPartitionKey.For(new string('x', 256)).Should().HaveLength(256);
    }

    [Test]
    public void An_orderid_longer_than_kinesis_allows_maps_to_one_stable_short_key()
    {
        var longId = new string('x', 257);

        var key = SalesPartitionKey.For(longId);

        key.Length.Should().BeLessThanOrEqualTo(SalesPartitionKey.MaxLength);
        key.Should().Be(SalesPartitionKey.For(new string('x', 257)));
        key.Should().NotBe(SalesPartitionKey.For(new string('y', 257)));
    }
}

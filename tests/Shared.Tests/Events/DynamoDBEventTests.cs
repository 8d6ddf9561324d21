using FluentAssertions;
using NUnit.Framework;
using System.Text.Json;
using Pipelines.Shared.Events;

namespace Pipelines.Tests.Shared.Events;

[TestFixture]
public sealed class DynamoDBEventTests
{
    [Test]
    public void Lambda_docs_sample_decodes_field_by_field()
    {
        var evt = EventFixtures.Load("dynamodb-event-lambda-docs.json", EventJsonContext.Default.DynamoDBEvent);

        evt.Records.Select(r => r.EventName).Should().Equal(DynamoDBStreamRecord.Insert, DynamoDBStreamRecord.Modify, DynamoDBStreamRecord.Remove);
        var insert = evt.Records[0];
        insert.EventId.Should().Be("1");
        insert.EventVersion.Should().Be("1.0");
        insert.AwsRegion.Should().Be("us-west-2");
        insert.EventSource.Should().Be("aws:dynamodb");
        insert.EventSourceArn.Should().Be("arn:aws:dynamodb:us-west-2:123456789012:table/TestTable/stream/2015-06-27T00:48:05.899");
        insert.UserIdentity.Should().BeNull();
        insert.Dynamodb.Keys!["Id"].N.Should().Be("101");
        insert.Dynamodb.NewImage!["Message"].S.Should().Be("New item!");
        insert.Dynamodb.OldImage.Should().BeNull();
        insert.Dynamodb.StreamViewType.Should().Be("NEW_AND_OLD_IMAGES");
        insert.Dynamodb.SequenceNumber.Should().Be("111");
        insert.Dynamodb.SizeBytes.Should().Be(26);
        insert.Dynamodb.ApproximateCreationDateTime.Should().BeNull();
        insert.Dynamodb.ApproximateCreationTime.Should().BeNull();
        evt.Records[1].Dynamodb.OldImage!["Message"].S.Should().Be("New item!");
        evt.Records[1].Dynamodb.NewImage!["Message"].S.Should().Be("This item has changed");
        evt.Records[2].Dynamodb.NewImage.Should().BeNull();
        evt.Records[2].Dynamodb.SizeBytes.Should().Be(38);
    }

    [Test]
    public void Every_attribute_value_type_decodes()
    {
        var evt = EventFixtures.Load("dynamodb-event.json", EventJsonContext.Default.DynamoDBEvent);

        var image = evt.Records[0].Dynamodb.NewImage!;
        image["val"].S.Should().Be("data");
        image["asdf1"].B.Should().Be("AAEqQQ==");
        image["asdf2"].BS.Should().Equal("AAEqQQ==", "QSoBAA==");
        image["misc1"].L.Should().BeEmpty();
        var m = image["misc2"].M!;
        m["ItemsEmpty"].L.Should().BeEmpty();
        m["ItemsNonEmpty"].L!.Select(v => v.S ?? v.N).Should().Equal("Cookies", "Coffee", "3.14159");
        m["ItemsNonEmpty"].L![2].N.Should().Be("3.14159");
        m["ItemBoolean"].BOOL.Should().BeFalse();
        m["ItemNumberSet"].NS.Should().Equal("0", "50", "150");
        m["ItemNull"].NULL.Should().BeTrue();
        m["ItemStringSet"].SS.Should().Equal("Hippo", "Zebra");
        m["ItemBoolean"].S.Should().BeNull();
        evt.Records[0].Dynamodb.ApproximateCreationDateTime.Should().Be(1480642020);
        evt.Records[0].Dynamodb.ApproximateCreationTime.Should().Be(DateTimeOffset.FromUnixTimeSeconds(1480642020));
    }

    [Test]
    public void Ttl_delete_carries_the_service_identity()
    {
        var remove = EventFixtures.Load("dynamodb-event.json", EventJsonContext.Default.DynamoDBEvent).Records[1];

        remove.EventName.Should().Be("REMOVE");
        remove.UserIdentity!.Type.Should().Be("Service");
        remove.UserIdentity.PrincipalId.Should().Be("dynamodb.amazonaws.com");
        remove.UserIdentity.IsTimeToLiveDelete.Should().BeTrue();
        remove.Dynamodb.OldImage!["asdf2"].BS.Should().HaveCount(3);
        remove.Dynamodb.StreamViewType.Should().Be("OLD_IMAGE");
    }

    [Test]
    public void Millisecond_creation_time_is_normalised_to_seconds()
    {
        var evt = EventFixtures.Load("dynamodb-with-ms-event.json", EventJsonContext.Default.DynamoDBEvent);

        evt.Records[0].Dynamodb.ApproximateCreationDateTime.Should().Be(1480642020);
        evt.Records[1].Dynamodb.ApproximateCreationDateTime.Should().Be(1480642020);
        evt.Records[0].Dynamodb.ApproximateCreationTime.Should().Be(DateTimeOffset.FromUnixTimeSeconds(1480642020));
    }

    [Test]
    public void Fractional_seconds_are_kept()
    {
        var r = JsonSerializer.Deserialize("""{"Records":[{"dynamodb":{"ApproximateCreationDateTime":1700000000.25}}]}""",
            EventJsonContext.Default.DynamoDBEvent)!.Records.Single();

        r.Dynamodb.ApproximateCreationDateTime.Should().Be(1700000000.25);
        r.Dynamodb.ApproximateCreationTime.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(1700000000250));
    }

    [Test]
    public void Attribute_values_serialize_only_the_member_that_is_set()
    {
        var json = JsonSerializer.Serialize(new Dictionary<string, AttributeValue>
        {
            ["id"] = AttributeValue.FromString("o-1"),
            ["n"] = AttributeValue.FromNumber("42"),
            ["flag"] = new() { BOOL = true },
        }, EventJsonContext.Default.DictionaryStringAttributeValue);

        json.Should().Be("""{"id":{"S":"o-1"},"n":{"N":"42"},"flag":{"BOOL":true}}""");
    }
}

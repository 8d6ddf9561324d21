using FluentAssertions;
using NUnit.Framework;
using System.Text.Json;
using Pipelines.Shared.Events;

namespace Pipelines.Tests.Shared.Events;

[TestFixture]
public sealed class SqsEventTests
{
    [Test]
    public void Lambda_docs_sample_decodes_field_by_field()
    {
        var evt = EventFixtures.Load("sqs-event-lambda-docs.json", EventJsonContext.Default.SqsEvent);

        evt.Records.Should().HaveCount(2);
        var m = evt.Records[0];
        m.MessageId.Should().Be("059f36b4-87a3-44ab-83d2-661975830a7d");
        m.ReceiptHandle.Should().Be("AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a...");
        m.Body.Should().Be("Test message.");
        m.Attributes.Should().Equal(new Dictionary<string, string>
        {
            ["ApproximateReceiveCount"] = "1",
            ["SentTimestamp"] = "1545082649183",
            ["SenderId"] = "AIDAIENQZJOLO23YVJ4VO",
            ["ApproximateFirstReceiveTimestamp"] = "1545082649185",
        });
        m.ApproximateReceiveCount.Should().Be(1);
        m.MessageAttributes.Should().ContainKey("myAttribute");
        m.MessageAttributes["myAttribute"].StringValue.Should().Be("myValue");
        m.MessageAttributes["myAttribute"].DataType.Should().Be("String");
        m.MessageAttributes["myAttribute"].StringListValues.Should().BeEmpty();
        m.MessageAttributes["myAttribute"].BinaryListValues.Should().BeEmpty();
        m.Md5OfBody.Should().Be("e4e68fb7bd0e697a0ae8f1bb342846b3");
        m.Md5OfMessageAttributes.Should().BeNull();
        m.EventSource.Should().Be("aws:sqs");
        m.EventSourceArn.Should().Be("arn:aws:sqs:us-east-2:123456789012:my-queue");
        m.AwsRegion.Should().Be("us-east-2");
        evt.Records[1].MessageAttributes.Should().BeEmpty();
    }

    [Test]
    public void Dotnet_sample_decodes_binary_and_list_attributes()
    {
        var m = EventFixtures.Load("sqs-event.json", EventJsonContext.Default.SqsEvent).Records.Single();

        m.ApproximateReceiveCount.Should().Be(2);
        m.Md5OfMessageAttributes.Should().Be("582c92c5c5b6ac403040a4f3ab3115c9");
        var a1 = m.MessageAttributes["Attribute1"];
        a1.StringValue.Should().Be("123");
        a1.BinaryValue.Should().Be("U21hdWc=");
        a1.StringListValues.Should().Equal("a1", "a2");
        a1.BinaryListValues.Should().Equal("VmVybWl0aHJheA==", "UGVqb3JhdGl2ZQ==");
        a1.DataType.Should().Be("Number");
        m.MessageAttributes["Attribute2"].BinaryValue.Should().BeNull();
    }

    [Test]
    public void Null_attribute_maps_are_tolerated()
    {
        var m = JsonSerializer.Deserialize("""{"Records":[{"messageId":"m1","attributes":null,"messageAttributes":null}]}""",
            EventJsonContext.Default.SqsEvent)!.Records.Single();

        m.Attributes.Should().BeEmpty();
        m.MessageAttributes.Should().BeEmpty();
        m.ApproximateReceiveCount.Should().Be(0);
    }
}

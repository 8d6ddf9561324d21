using FluentAssertions;
using NUnit.Framework;
using System.Text.Json;
using Pipelines.Shared.Events;

namespace Pipelines.Tests.Shared.Events;

[TestFixture]
public sealed class S3EventNotificationTests
{
    [Test]
    public void S3_user_guide_sample_decodes_field_by_field()
    {
        var n = EventFixtures.Load("s3-notification-put.json", EventJsonContext.Default.S3EventNotification);

        n.IsTestEvent.Should().BeFalse();
        var r = n.Records!.Single();
        r.EventVersion.Should().Be("2.1");
        r.EventSource.Should().Be("aws:s3");
        r.AwsRegion.Should().Be("us-west-2");
        r.EventTime.Should().Be(DateTimeOffset.UnixEpoch);
        r.EventName.Should().Be("ObjectCreated:Put");
        r.UserIdentity!.PrincipalId.Should().Be("AIDAJDPLRKLG7UEXAMPLE");
        r.RequestParameters!.SourceIpAddress.Should().Be("172.16.0.1");
        r.ResponseElements!["x-amz-request-id"].Should().Be("C3D13FE58DE4C810");
        r.S3.S3SchemaVersion.Should().Be("1.0");
        r.S3.ConfigurationId.Should().Be("testConfigRule");
        r.S3.Bucket.Name.Should().Be("amzn-s3-demo-bucket");
        r.S3.Bucket.Arn.Should().Be("arn:aws:s3:::amzn-s3-demo-bucket");
        r.S3.Bucket.OwnerIdentity!.PrincipalId.Should().Be("A3NL1KOZZKExample");
        r.S3.Object.Key.Should().Be("HappyFace.jpg");
        r.S3.Object.Size.Should().Be(1024);
        r.S3.Object.ETag.Should().Be("d41d8cd98f00b204e9800998ecf8427e");
        r.S3.Object.VersionId.Should().Be("096fKKXTRTtl3on89fVO.nfljtsv6qko");
        r.S3.Object.Sequencer.Should().Be("0055AED6DCD90281E5");
    }

    [Test]
    public void Dotnet_sample_keeps_the_raw_key_and_decodes_plus_as_space()
    {
        var n = EventFixtures.Load("s3-event.json", EventJsonContext.Default.S3EventNotification);

        n.Records![1].S3.Object.Key.Should().Be("New+File.jpg");
        n.Records[1].S3.Object.DecodedKey.Should().Be("New File.jpg");
        n.Records[0].S3.Object.DecodedKey.Should().Be("HappyFace.jpg");
    }

    [Test]
    public void Notification_inside_an_sqs_body_decodes_with_a_utf8_escaped_key()
    {
        var message = EventFixtures.Load("sqs-s3-notification.json", EventJsonContext.Default.SqsEvent).Records.Single();

        var n = JsonSerializer.Deserialize(message.Body, EventJsonContext.Default.S3EventNotification)!;

        n.IsTestEvent.Should().BeFalse();
        var o = n.Records!.Single().S3;
        o.Bucket.Name.Should().Be("partner-catalog-source");
        o.Object.Key.Should().Be("partner+a/caf%C3%A9+menu%282024%29.jsonl");
        o.Object.DecodedKey.Should().Be("partner a/café menu(2024).jsonl");
        o.Object.Size.Should().Be(2048);
        n.Records![0].EventTime.Should().Be(new DateTimeOffset(2024, 5, 17, 9, 30, 12, 345, TimeSpan.Zero));
    }

    [Test]
    public void Test_event_inside_an_sqs_body_is_recognised()
    {
        var message = EventFixtures.Load("sqs-s3-test-event.json", EventJsonContext.Default.SqsEvent).Records.Single();

        var n = JsonSerializer.Deserialize(message.Body, EventJsonContext.Default.S3EventNotification)!;

        n.IsTestEvent.Should().BeTrue();
        n.Records.Should().BeNull();
        n.Service.Should().Be("Amazon S3");
        n.Event.Should().Be("s3:TestEvent");
        n.Bucket.Should().Be("amzn-s3-demo-bucket");
        n.RequestId.Should().Be("5582815E1AEA5ADF");
        n.HostId.Should().StartWith("8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR");
        n.Time.Should().Be(new DateTimeOffset(2014, 10, 13, 15, 57, 2, 89, TimeSpan.Zero));
    }

    [Test]
    public void Delete_event_without_size_decodes_with_null_size()
    {
        const string json = """
            {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","eventTime":"2024-01-01T00:00:00.000Z",
              "eventName":"ObjectRemoved:Delete","s3":{"bucket":{"name":"b"},"object":{"key":"a%2Fb","sequencer":"0A"}}}]}
            """;

        var o = JsonSerializer.Deserialize(json, EventJsonContext.Default.S3EventNotification)!.Records!.Single().S3.Object;

        o.Size.Should().BeNull();
        o.DecodedKey.Should().Be("a/b");
    }

    [Test]
    public void Size_sent_as_a_string_is_accepted()
    {
        const string json = """{"Records":[{"s3":{"bucket":{"name":"b"},"object":{"key":"k","size":"77"}}}]}""";

        JsonSerializer.Deserialize(json, EventJsonContext.Default.S3EventNotification)!.Records!.Single().S3.Object.Size.Should().Be(77);
    }
}

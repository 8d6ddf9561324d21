using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Shared.Aws;

namespace Pipelines.Tests.Shared.Aws;

[TestFixture]
public sealed class SqsClientTests
{
    private const string QueueUrl = "https://sqs.us-east-1.amazonaws.com/177715257436/MyQueue";

    // Shape of the ReceiveMessage JSON-protocol response in the SQS API reference.
    private const string ReceiveResponse = """
        {
            "Messages": [
                {
                    "Attributes": {
                        "SenderId": "AIDASSYFHUBOBT7F4XT75",
                        "ApproximateFirstReceiveTimestamp": "1677112433437",
                        "ApproximateReceiveCount": "3",
                        "SentTimestamp": "1677112427387"
                    },
                    "Body": "This is a test message",
                    "MD5OfBody": "fafb00f5732ab283681e124bf8747ed1",
                    "MessageId": "219f8380-5770-4cc2-8c3e-5c715e145f5e",
                    "ReceiptHandle": "AQEBaZ+j5qUoOAoxlmrCQPkBm9njMWXqemmIG6shMHCO6fV20JrQYg/AiZ8JELwLwOu5U61W+aIX5Qzu7GGofxJuvzymr4Ph53RiR0mudj4InLSgpSspYeaRK+sD8GuyrcqGN0jpt+z/MAXHwh4Q",
                    "MD5OfMessageAttributes": "bd5a1b1fc8da8e0bfb4c0cb6f0e0f6b0",
                    "MessageAttributes": { "origin": { "StringValue": "s3", "DataType": "String" } }
                }
            ]
        }
        """;

    [Test]
    public async Task SendMessage_uses_the_sqs_json_protocol_with_the_queue_url_in_the_body()
    {
        await using var server = new LoopbackAwsServer();
        server.Enqueue(ScriptedResponse.Json("""{"MD5OfMessageBody":"51b0a325...39163aa0","MessageId":"d6790f8d-d575-4d01-a7c7-ea1e5b9c3d76"}"""));
        var sqs = new SqsClient(TestAws.Options(AwsService.Sqs, server.Endpoint));

        var sent = await sqs.SendMessageAsync(
            QueueUrl, "hello", delaySeconds: 5, new Dictionary<string, SqsAttributeValue> { ["kind"] = SqsAttributeValue.FromString("test") });

        sent.MessageId.Should().Be("d6790f8d-d575-4d01-a7c7-ea1e5b9c3d76");
        var request = server.Requests.Single();
        request.Path.Should().Be("/", "requests go to the endpoint, not to the host named in the queue URL");
        request.Target.Should().Be("AmazonSQS.SendMessage");
        request.ContentType.Should().Be("application/x-amz-json-1.0");
        request.Headers["Authorization"].Should().Contain("/us-east-1/sqs/aws4_request");
        var body = JsonDocument.Parse(request.Body).RootElement;
        body.GetProperty("QueueUrl").GetString().Should().Be(QueueUrl);
        body.GetProperty("MessageBody").GetString().Should().Be("hello");
        body.GetProperty("DelaySeconds").GetInt32().Should().Be(5);
        var attribute = body.GetProperty("MessageAttributes").GetProperty("kind");
        attribute.GetProperty("DataType").GetString().Should().Be("String");
        attribute.GetProperty("StringValue").GetString().Should().Be("test");
    }

    [Test]
    public async Task ReceiveMessage_asks_for_attributes_and_decodes_messages()
    {
        await using var server = new LoopbackAwsServer();
        server.Enqueue(ScriptedResponse.Json(ReceiveResponse));
        var sqs = new SqsClient(TestAws.Options(AwsService.Sqs, server.Endpoint));

        var messages = await sqs.ReceiveMessageAsync(
            QueueUrl,
            new SqsReceiveOptions { MaxNumberOfMessages = 5, WaitTimeSeconds = 1, VisibilityTimeout = 30, AttributeNames = ["ApproximateReceiveCount"] });

        var message = messages.Should().ContainSingle().Subject;
        message.Body.Should().Be("This is a test message");
        message.MessageId.Should().Be("219f8380-5770-4cc2-8c3e-5c715e145f5e");
        message.ReceiptHandle.Should().StartWith("AQEBaZ+j5qUoOAoxlmrCQPkBm9njMWXqemmIG6shMHCO6fV20JrQYg");
        message.Attributes["ApproximateReceiveCount"].Should().Be("3");
        message.MessageAttributes["origin"].StringValue.Should().Be("s3");
        var body = JsonDocument.Parse(server.Requests.Single().Body).RootElement;
        body.GetProperty("MaxNumberOfMessages").GetInt32().Should().Be(5);
        body.GetProperty("WaitTimeSeconds").GetInt32().Should().Be(1);
        body.GetProperty("VisibilityTimeout").GetInt32().Should().Be(30);
        body.GetProperty("AttributeNames").EnumerateArray().Select(e => e.GetString()).Should().Equal("ApproximateReceiveCount");
        body.GetProperty("MessageSystemAttributeNames").EnumerateArray().Select(e => e.GetString()).Should().Equal("ApproximateReceiveCount");
    }

    [Test]
    public async Task An_empty_receive_returns_no_messages()
    {
        await using var server = new LoopbackAwsServer();
        server.Enqueue(ScriptedResponse.Json("{}"));
        var sqs = new SqsClient(TestAws.Options(AwsService.Sqs, server.Endpoint));

        var messages = await sqs.ReceiveMessageAsync(QueueUrl);

        messages.Should().BeEmpty();
    }

    [Test]
    public async Task Batch_operations_report_failed_entries_instead_of_throwing()
    {
        await using var server = new LoopbackAwsServer();
        server.Enqueue(
            ScriptedResponse.Json("""{"Successful":[{"Id":"m1","MessageId":"id-1","MD5OfMessageBody":"x"}],"Failed":[{"Id":"m2","SenderFault":true,"Code":"InvalidParameterValue","Message":"too big"}]}"""),
            ScriptedResponse.Json("""{"Successful":[{"Id":"d1"}],"Failed":[]}"""));
        var sqs = new SqsClient(TestAws.Options(AwsService.Sqs, server.Endpoint));

        var sent = await sqs.SendMessageBatchAsync(QueueUrl, [new SqsSendEntry("m1", "a"), new SqsSendEntry("m2", "b", DelaySeconds: 3)]);
        var deleted = await sqs.DeleteMessageBatchAsync(QueueUrl, [new SqsDeleteEntry("d1", "rh-1")]);

        sent.Successful.Should().ContainSingle().Which.MessageId.Should().Be("id-1");
        var failure = sent.Failed.Should().ContainSingle().Subject;
        failure.Id.Should().Be("m2");
        failure.SenderFault.Should().BeTrue();
        failure.Code.Should().Be("InvalidParameterValue");
        deleted.Successful.Should().ContainSingle().Which.Id.Should().Be("d1");
        var sendBody = JsonDocument.Parse(server.Requests[0].Body).RootElement;
        sendBody.GetProperty("Entries")[1].GetProperty("DelaySeconds").GetInt32().Should().Be(3);
        var deleteBody = JsonDocument.Parse(server.Requests[1].Body).RootElement;
        server.Requests[1].Target.Should().Be("AmazonSQS.DeleteMessageBatch");
        deleteBody.GetProperty("Entries")[0].GetProperty("ReceiptHandle").GetString().Should().Be("rh-1");
    }

    [Test]
    public async Task Members_an_emulator_leaves_out_come_back_empty_not_null()
    {
        // local-aws-sqs omits "Failed" when nothing failed and "MessageAttributes" when a message has none.
        await using var server = new LoopbackAwsServer();
        server.Enqueue(
            ScriptedResponse.Json("""{"Successful":[{"Id":"a","MessageId":"m-1","MD5OfMessageBody":"9dd4e461268c8034f5c8564e155c67a6"}]}"""),
            ScriptedResponse.Json("""{"Messages":[{"Body":"x","MD5OfBody":"9dd4e461268c8034f5c8564e155c67a6","MessageId":"m-1","ReceiptHandle":"rh"}]}"""));
        var sqs = new SqsClient(TestAws.Options(AwsService.Sqs, server.Endpoint));

        var sent = await sqs.SendMessageBatchAsync(QueueUrl, [new SqsSendEntry("a", "x")]);
        var received = await sqs.ReceiveMessageAsync(QueueUrl);

        sent.Failed.Should().NotBeNull().And.BeEmpty();
        received.Single().Attributes.Should().NotBeNull().And.BeEmpty();
        received.Single().MessageAttributes.Should().NotBeNull().And.BeEmpty();
    }

    [Test]
    public async Task Queue_management_calls_carry_their_parameters()
    {
        await using var server = new LoopbackAwsServer();
        server.Enqueue(
            ScriptedResponse.Json($$"""{"QueueUrl":"{{QueueUrl}}"}"""),
            ScriptedResponse.Json("""{"Attributes":{"QueueArn":"arn:aws:sqs:us-east-1:177715257436:MyQueue","ApproximateNumberOfMessages":"0"}}"""),
            ScriptedResponse.Json(""),
            ScriptedResponse.Json(""));
        var sqs = new SqsClient(TestAws.Options(AwsService.Sqs, server.Endpoint));

        var url = await sqs.CreateQueueAsync("MyQueue", new Dictionary<string, string> { ["VisibilityTimeout"] = "60" });
        var attributes = await sqs.GetQueueAttributesAsync(url, ["QueueArn", "ApproximateNumberOfMessages"]);
        await sqs.ChangeMessageVisibilityAsync(url, "rh-1", 0);
        await sqs.DeleteMessageAsync(url, "rh-1");

        url.Should().Be(QueueUrl);
        attributes["QueueArn"].Should().Be("arn:aws:sqs:us-east-1:177715257436:MyQueue");
        server.Requests.Select(r => r.Target).Should().Equal(
            "AmazonSQS.CreateQueue", "AmazonSQS.GetQueueAttributes", "AmazonSQS.ChangeMessageVisibility", "AmazonSQS.DeleteMessage");
        JsonDocument.Parse(server.Requests[0].Body).RootElement.GetProperty("Attributes").GetProperty("VisibilityTimeout").GetString().Should().Be("60");
        JsonDocument.Parse(server.Requests[2].Body).RootElement.GetProperty("VisibilityTimeout").GetInt32().Should().Be(0);
    }
}

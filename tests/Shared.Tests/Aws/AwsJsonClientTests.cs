using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Shared.Aws;

namespace Pipelines.Tests.Shared.Aws;

[TestFixture]
public sealed class AwsJsonClientTests
{
    private const string ListShardsOk = """{"Shards":[{"ShardId":"shardId-000000000000","HashKeyRange":{"StartingHashKey":"0","EndingHashKey":"340282366920938463463374607431768211455"},"SequenceNumberRange":{"StartingSequenceNumber":"49579844037727333356165064238440708846556371693205002242"}}]}""";

    [Test]
    public async Task Posts_to_the_root_with_target_content_type_and_a_sigv4_signature()
    {
        await using var server = new LoopbackAwsServer();
        server.Enqueue(ScriptedResponse.Json(ListShardsOk));
        var credentials = TestAws.Credentials with { SessionToken = "session-token-1" };
        var kinesis = new KinesisClient(TestAws.Options(AwsService.Kinesis, server.Endpoint, credentials: credentials));

        var shards = await kinesis.ListShardsAsync("orders");

        shards.Should().ContainSingle().Which.ShardId.Should().Be("shardId-000000000000");
        var request = server.Requests.Should().ContainSingle().Subject;
        request.Method.Should().Be("POST");
        request.Path.Should().Be("/");
        request.Target.Should().Be("Kinesis_20131202.ListShards");
        request.ContentType.Should().Be("application/x-amz-json-1.1");
        request.Headers["X-Amz-Security-Token"].Should().Be("session-token-1");
        request.Headers["Authorization"].Should().MatchRegex(
            "^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/[0-9]{8}/us-east-1/kinesis/aws4_request, " +
            "SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=[0-9a-f]{64}$");
        JsonDocument.Parse(request.Body).RootElement.GetProperty("StreamName").GetString().Should().Be("orders");
    }

    [Test]
    public async Task Throttling_is_retried_with_capped_jittered_backoff_until_it_succeeds()
    {
        await using var server = new LoopbackAwsServer();
        server.Enqueue(
            ScriptedResponse.Error(400, """{"__type":"com.amazonaws.kinesis.v20131202#ProvisionedThroughputExceededException","message":"Rate exceeded for shard"}"""),
            ScriptedResponse.Error(400, """{"__type":"ThrottlingException","message":"Rate exceeded"}"""),
            ScriptedResponse.Error(400, """{"__type":"LimitExceededException","message":"too many"}"""),
            ScriptedResponse.Json(ListShardsOk));
        var waits = new List<TimeSpan>();
        var kinesis = new KinesisClient(TestAws.Options(AwsService.Kinesis, server.Endpoint, waits, maxAttempts: 4));

        var shards = await kinesis.ListShardsAsync("orders");

        shards.Should().HaveCount(1);
        server.Requests.Should().HaveCount(4);
        // Random is pinned near 1, so each wait sits just under its ceiling: 100, 200, then capped at 400 ms.
        waits.Should().HaveCount(3);
        waits[0].Should().BeCloseTo(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(1));
        waits[1].Should().BeCloseTo(TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(1));
        waits[2].Should().BeCloseTo(TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(1));
    }

    [Test]
    public async Task Server_errors_are_retried_and_the_last_one_surfaces_after_max_attempts()
    {
        await using var server = new LoopbackAwsServer(_ => ScriptedResponse.Error(500, """{"__type":"InternalFailure","message":"boom"}"""));
        var waits = new List<TimeSpan>();
        var kinesis = new KinesisClient(TestAws.Options(AwsService.Kinesis, server.Endpoint, waits, maxAttempts: 3));

        var act = () => kinesis.ListShardsAsync("orders");

        var error = (await act.Should().ThrowAsync<AwsServiceException>()).Which;
        error.ErrorCode.Should().Be("InternalFailure");
        error.StatusCode.Should().Be(500);
        error.IsTransient.Should().BeTrue();
        error.IsThrottling.Should().BeFalse();
        server.Requests.Should().HaveCount(3);
        waits.Should().HaveCount(2).And.OnlyContain(w => w <= TimeSpan.FromMilliseconds(400));
    }

    [Test]
    public async Task A_503_then_success_returns_the_result()
    {
        await using var server = new LoopbackAwsServer();
        server.Enqueue(ScriptedResponse.Error(503, "<html>Service Unavailable</html>"), ScriptedResponse.Json(ListShardsOk));
        var kinesis = new KinesisClient(TestAws.Options(AwsService.Kinesis, server.Endpoint));

        var shards = await kinesis.ListShardsAsync("orders");

        shards.Should().HaveCount(1);
        server.Requests.Should().HaveCount(2);
    }

    [Test]
    public async Task A_429_without_a_json_body_counts_as_throttling()
    {
        await using var server = new LoopbackAwsServer(_ => ScriptedResponse.Error(429, "Too Many Requests"));
        var kinesis = new KinesisClient(TestAws.Options(AwsService.Kinesis, server.Endpoint, maxAttempts: 2));

        var error = (await FluentActions.Awaiting(() => kinesis.ListShardsAsync("orders")).Should().ThrowAsync<AwsServiceException>()).Which;

        error.IsThrottling.Should().BeTrue();
        error.ErrorCode.Should().Be("Http429");
        error.ServiceMessage.Should().Be("Too Many Requests");
        server.Requests.Should().HaveCount(2);
    }

    [TestCase("""{"__type":"com.amazonaws.kinesis.v20131202#ResourceNotFoundException","message":"Stream orders under account 000000000000 not found."}""",
        "ResourceNotFoundException", "Stream orders under account 000000000000 not found.")]
    [TestCase("""{"__type":"ResourceNotFoundException","Message":"Stream orders not found"}""",
        "ResourceNotFoundException", "Stream orders not found")]
    [TestCase("""{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}""",
        "QueueDoesNotExist", "The specified queue does not exist.")]
    [TestCase("""{"__type":"ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/","message":"1 validation error"}""",
        "ValidationException", "1 validation error")]
    public async Task Client_errors_decode_type_and_message_and_are_not_retried(string body, string code, string message)
    {
        await using var server = new LoopbackAwsServer(_ => ScriptedResponse.Error(400, body));
        var kinesis = new KinesisClient(TestAws.Options(AwsService.Kinesis, server.Endpoint));

        var error = (await FluentActions.Awaiting(() => kinesis.DescribeStreamSummaryAsync("orders")).Should().ThrowAsync<AwsServiceException>()).Which;

        error.ErrorCode.Should().Be(code);
        error.ServiceMessage.Should().Be(message);
        error.Message.Should().Contain(code).And.Contain(message).And.Contain("Kinesis_20131202.DescribeStreamSummary");
        error.StatusCode.Should().Be(400);
        error.IsTransient.Should().BeFalse();
        error.RequestId.Should().Be("req-1");
        server.Requests.Should().HaveCount(1);
    }

    [Test]
    public async Task An_attempt_that_outlives_its_timeout_is_retried()
    {
        await using var server = new LoopbackAwsServer();
        server.Enqueue(new ScriptedResponse(200, ListShardsOk, Delay: TimeSpan.FromSeconds(5)), ScriptedResponse.Json(ListShardsOk));
        var options = TestAws.Options(AwsService.Kinesis, server.Endpoint) with { AttemptTimeout = TimeSpan.FromMilliseconds(300) };
        var kinesis = new KinesisClient(options);

        var shards = await kinesis.ListShardsAsync("orders");

        shards.Should().HaveCount(1);
        server.Requests.Should().HaveCount(2);
    }

    [Test]
    public async Task Cancellation_by_the_caller_stops_without_retrying()
    {
        await using var server = new LoopbackAwsServer(_ => new ScriptedResponse(200, ListShardsOk, Delay: TimeSpan.FromSeconds(5)));
        var kinesis = new KinesisClient(TestAws.Options(AwsService.Kinesis, server.Endpoint));
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await FluentActions.Awaiting(() => kinesis.ListShardsAsync("orders", cancel.Token)).Should().ThrowAsync<OperationCanceledException>();

        server.Requests.Should().HaveCount(1);
    }

    [Test]
    public async Task A_refused_connection_is_retried_then_reported()
    {
        int port;
        await using (var closed = new LoopbackAwsServer())
        {
            port = closed.Port;
        }

        var waits = new List<TimeSpan>();
        var kinesis = new KinesisClient(TestAws.Options(AwsService.Kinesis, new Uri($"http://127.0.0.1:{port}/"), waits, maxAttempts: 3));

        await FluentActions.Awaiting(() => kinesis.ListShardsAsync("orders")).Should().ThrowAsync<HttpRequestException>();

        waits.Should().HaveCount(2);
    }
}

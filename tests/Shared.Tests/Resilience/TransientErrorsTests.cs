using System.Net;
using System.Net.Sockets;
using Amazon.Runtime;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Shared.Aws;
using Pipelines.Shared.Resilience;

namespace Pipelines.Tests.Shared.Resilience;

[TestFixture]
public sealed class TransientErrorsTests
{
    private static AmazonServiceException Sdk(string code, HttpStatusCode status) =>
        new("message", ErrorType.Unknown, code, "request-id", status);

    [TestCase("ThrottlingException", HttpStatusCode.BadRequest)]
    [TestCase("ProvisionedThroughputExceededException", HttpStatusCode.BadRequest)]
    [TestCase("RequestLimitExceeded", HttpStatusCode.BadRequest)]
    [TestCase("SlowDown", HttpStatusCode.ServiceUnavailable)]
    [TestCase("InternalServerError", HttpStatusCode.InternalServerError)]
    [TestCase("AnythingAtAll", HttpStatusCode.BadGateway)]
    [TestCase("TooManyRequests", HttpStatusCode.TooManyRequests)]
    public void Sdk_throttling_and_server_errors_are_transient(string code, HttpStatusCode status) =>
        TransientErrors.IsTransient(Sdk(code, status)).Should().BeTrue();

    [TestCase("ValidationException", HttpStatusCode.BadRequest)]
    [TestCase("ConditionalCheckFailedException", HttpStatusCode.BadRequest)]
    [TestCase("AccessDenied", HttpStatusCode.Forbidden)]
    [TestCase("NoSuchBucket", HttpStatusCode.NotFound)]
    [TestCase("NotImplemented", HttpStatusCode.NotImplemented)]
    public void Sdk_client_errors_are_not_transient(string code, HttpStatusCode status) =>
        TransientErrors.IsTransient(Sdk(code, status)).Should().BeFalse();

    [Test]
    public void Our_service_exception_is_classified_by_code_and_status()
    {
        new AwsServiceException("ProvisionedThroughputExceededException", 400, "m").IsThrottling.Should().BeTrue();
        new AwsServiceException("LimitExceededException", 400, "m").IsTransient.Should().BeTrue();
        new AwsServiceException("Http502", 502, "m").IsTransient.Should().BeTrue();
        new AwsServiceException("Http429", 429, "m").IsThrottling.Should().BeTrue();
        new AwsServiceException("ResourceNotFoundException", 400, "m").IsTransient.Should().BeFalse();
        TransientErrors.IsTransient(new AwsServiceException("ThrottlingException", 400, "m")).Should().BeTrue();
        TransientErrors.IsTransient(new AwsServiceException("ResourceInUseException", 400, "m")).Should().BeFalse();
    }

    [Test]
    public void Network_failures_and_timeouts_are_transient()
    {
        TransientErrors.IsTransient(new HttpRequestException("reset")).Should().BeTrue();
        TransientErrors.IsTransient(new IOException("broken pipe")).Should().BeTrue();
        TransientErrors.IsTransient(new SocketException((int)SocketError.ConnectionRefused)).Should().BeTrue();
        TransientErrors.IsTransient(new TimeoutException()).Should().BeTrue();
        TransientErrors.IsTransient(new TaskCanceledException("HttpClient timeout", new TimeoutException())).Should().BeTrue();
        TransientErrors.IsTransient(new AmazonClientException("network", new HttpRequestException("reset"))).Should().BeTrue();
    }

    [Test]
    public void A_cancellation_is_transient_only_when_the_caller_did_not_ask_for_it()
    {
        using var caller = new CancellationTokenSource();
        var canceled = new TaskCanceledException("canceled");

        TransientErrors.IsTransient(canceled, caller.Token).Should().BeTrue("the caller's token is still live, so something timed out");
        caller.Cancel();
        TransientErrors.IsTransient(new OperationCanceledException(caller.Token), caller.Token).Should().BeFalse();
        TransientErrors.IsTransient(canceled).Should().BeFalse("without the caller's token a bare cancellation is not known to be a timeout");
    }

    [Test]
    public void Programming_errors_are_not_transient()
    {
        TransientErrors.IsTransient(new InvalidOperationException()).Should().BeFalse();
        TransientErrors.IsTransient(new ArgumentException()).Should().BeFalse();
    }
}

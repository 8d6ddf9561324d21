using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Shared.Aws;

namespace Pipelines.Tests.Shared.Aws;

[TestFixture]
public sealed class SsmClientTests
{
    [Test]
    public async Task GetParametersByPath_reads_every_page_recursively_with_decryption()
    {
        await using var server = new LoopbackAwsServer();
        server.Enqueue(
            ScriptedResponse.Json("""{"Parameters":[{"Name":"/p/a","Type":"String","Value":"1","Version":1,"LastModifiedDate":1.70000000E9,"ARN":"arn:aws:ssm:us-east-1:000000000000:parameter/p/a","DataType":"text"}],"NextToken":"t2"}"""),
            ScriptedResponse.Json("""{"Parameters":[{"Name":"/p/b/c","Type":"SecureString","Value":"secret","Version":3}]}"""));
        var ssm = new SsmClient(TestAws.Options(AwsService.Ssm, server.Endpoint));

        var parameters = await ssm.GetParametersByPathAsync("/p");

        parameters.Select(p => (p.Name, p.Value)).Should().Equal(("/p/a", "1"), ("/p/b/c", "secret"));
        parameters[0].Arn.Should().Be("arn:aws:ssm:us-east-1:000000000000:parameter/p/a");
        parameters[1].Version.Should().Be(3);
        server.Requests.Should().HaveCount(2).And.OnlyContain(r => r.Target == "AmazonSSM.GetParametersByPath");
        server.Requests[0].ContentType.Should().Be("application/x-amz-json-1.1");
        var first = JsonDocument.Parse(server.Requests[0].Body).RootElement;
        first.GetProperty("Path").GetString().Should().Be("/p");
        first.GetProperty("Recursive").GetBoolean().Should().BeTrue();
        first.GetProperty("WithDecryption").GetBoolean().Should().BeTrue();
        first.TryGetProperty("NextToken", out _).Should().BeFalse();
        JsonDocument.Parse(server.Requests[1].Body).RootElement.GetProperty("NextToken").GetString().Should().Be("t2");
    }

    [Test]
    public async Task PutParameter_overwrites_and_returns_the_version()
    {
        await using var server = new LoopbackAwsServer();
        server.Enqueue(ScriptedResponse.Json("""{"Tier":"Standard","Version":7}"""));
        var ssm = new SsmClient(TestAws.Options(AwsService.Ssm, server.Endpoint));

        var version = await ssm.PutParameterAsync("/p/batch_size", "250");

        version.Should().Be(7);
        var body = JsonDocument.Parse(server.Requests.Single().Body).RootElement;
        server.Requests.Single().Target.Should().Be("AmazonSSM.PutParameter");
        body.GetProperty("Name").GetString().Should().Be("/p/batch_size");
        body.GetProperty("Value").GetString().Should().Be("250");
        body.GetProperty("Type").GetString().Should().Be("String");
        body.GetProperty("Overwrite").GetBoolean().Should().BeTrue();
    }
}

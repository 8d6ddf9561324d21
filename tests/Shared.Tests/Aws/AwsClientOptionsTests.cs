using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.Shared.Aws;
using Pipelines.Shared.Configuration;

namespace Pipelines.Tests.Shared.Aws;

[TestFixture]
public sealed class AwsClientOptionsTests
{
    private static Func<string, string?> Env(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value);
        return name => map.GetValueOrDefault(name);
    }

    private static readonly (string, string)[] LambdaCredentials =
    [
        ("AWS_ACCESS_KEY_ID", "ASIAEXAMPLE"), ("AWS_SECRET_ACCESS_KEY", "secret"), ("AWS_SESSION_TOKEN", "token"),
    ];

    [Test]
    public void The_service_specific_endpoint_wins_over_the_global_one()
    {
        var options = AwsClientOptions.FromEnvironment(
            AwsService.Kinesis,
            Env([.. LambdaCredentials, ("AWS_REGION", "eu-west-1"), ("AWS_ENDPOINT_URL", "http://127.0.0.1:1000"), ("AWS_ENDPOINT_URL_KINESIS", "http://127.0.0.1:2000")]));

        options.Endpoint.Should().Be(new Uri("http://127.0.0.1:2000/"));
        options.IsCustomEndpoint.Should().BeTrue();
        options.Region.Should().Be("eu-west-1");
        options.Credentials.Should().Be(new AwsCredentials("ASIAEXAMPLE", "secret", "token"));
    }

    [Test]
    public void The_global_endpoint_applies_to_services_without_their_own()
    {
        var env = Env([.. LambdaCredentials, ("AWS_REGION", "us-east-1"), ("AWS_ENDPOINT_URL", "http://127.0.0.1:1000"), ("AWS_ENDPOINT_URL_KINESIS", "http://127.0.0.1:2000")]);

        AwsClientOptions.FromEnvironment(AwsService.Sqs, env).Endpoint.Should().Be(new Uri("http://127.0.0.1:1000/"));
    }

    [TestCase("us-east-1", "https://ssm.us-east-1.amazonaws.com/")]
    [TestCase("cn-north-1", "https://ssm.cn-north-1.amazonaws.com.cn/")]
    public void Without_endpoint_variables_the_public_regional_endpoint_is_used(string region, string expected)
    {
        var options = AwsClientOptions.FromEnvironment(AwsService.Ssm, Env([.. LambdaCredentials, ("AWS_REGION", region)]));

        options.Endpoint.Should().Be(new Uri(expected));
        options.IsCustomEndpoint.Should().BeFalse();
    }

    [Test]
    public void Configured_endpoints_can_be_switched_off()
    {
        var options = AwsClientOptions.FromEnvironment(
            AwsService.Sqs,
            Env([.. LambdaCredentials, ("AWS_REGION", "us-east-1"), ("AWS_ENDPOINT_URL_SQS", "http://127.0.0.1:1"), ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true")]));

        options.Endpoint.Should().Be(new Uri("https://sqs.us-east-1.amazonaws.com/"));
    }

    [Test]
    public void AWS_REGION_wins_over_AWS_DEFAULT_REGION_which_is_the_fallback()
    {
        AwsEnvironment.ResolveRegion(Env(("AWS_REGION", "eu-central-1"), ("AWS_DEFAULT_REGION", "us-west-2"))).Should().Be("eu-central-1");
        AwsEnvironment.ResolveRegion(Env(("AWS_DEFAULT_REGION", "us-west-2"))).Should().Be("us-west-2");
    }

    [Test]
    public void Missing_region_or_credentials_fail_with_the_variable_named()
    {
        var noRegion = () => AwsClientOptions.FromEnvironment(AwsService.Kinesis, Env(LambdaCredentials));
        var noSecret = () => AwsClientOptions.FromEnvironment(AwsService.Kinesis, Env(("AWS_REGION", "us-east-1"), ("AWS_ACCESS_KEY_ID", "AKID")));
        var noKeys = () => AwsClientOptions.FromEnvironment(AwsService.Kinesis, Env(("AWS_REGION", "us-east-1")));

        noRegion.Should().Throw<ConfigurationException>().Which.Message.Should().Contain("AWS_REGION");
        noSecret.Should().Throw<ConfigurationException>().Which.SettingName.Should().Be("AWS_SECRET_ACCESS_KEY");
        noKeys.Should().Throw<ConfigurationException>().Which.Message.Should().Contain("AWS_ACCESS_KEY_ID");
    }

    [Test]
    public void A_malformed_endpoint_is_reported_with_its_variable()
    {
        var act = () => AwsClientOptions.FromEnvironment(
            AwsService.Kinesis, Env([.. LambdaCredentials, ("AWS_REGION", "us-east-1"), ("AWS_ENDPOINT_URL_KINESIS", "localhost:4567")]));

        act.Should().Throw<ConfigurationException>().Which.Message.Should().Contain("AWS_ENDPOINT_URL_KINESIS").And.Contain("localhost:4567");
    }

    [TestCase("KINESIS", "kinesis")]
    [TestCase("sqs", "sqs")]
    [TestCase("DYNAMODB", "dynamodb")]
    public void Services_are_found_by_environment_id_or_prefix(string id, string signingName) =>
        AwsService.Parse(id).SigningName.Should().Be(signingName);

    [Test]
    public void The_S3_sdk_client_uses_path_style_and_emulator_friendly_checksums_on_a_custom_endpoint()
    {
        using var s3 = AwsSdkClients.CreateS3(Env([.. LambdaCredentials, ("AWS_REGION", "us-east-1"), ("AWS_ENDPOINT_URL_S3", "http://127.0.0.1:4568")]));

        var config = (AmazonS3Config)s3.Config;
        config.ServiceURL.Should().StartWith("http://127.0.0.1:4568");
        config.ForcePathStyle.Should().BeTrue();
        config.RequestChecksumCalculation.Should().Be(RequestChecksumCalculation.WHEN_REQUIRED);
        config.ResponseChecksumValidation.Should().Be(ResponseChecksumValidation.WHEN_REQUIRED);
        config.AuthenticationRegion.Should().Be("us-east-1");
    }

    [Test]
    public void The_S3_sdk_client_targets_the_region_when_no_endpoint_is_set()
    {
        using var s3 = AwsSdkClients.CreateS3(Env([.. LambdaCredentials, ("AWS_REGION", "eu-west-1")]));

        var config = (AmazonS3Config)s3.Config;
        config.ServiceURL.Should().BeNull();
        config.RegionEndpoint!.SystemName.Should().Be("eu-west-1");
        config.ForcePathStyle.Should().BeFalse();
    }

    [Test]
    public void The_DynamoDB_sdk_client_honours_its_endpoint_variable()
    {
        using var dynamo = AwsSdkClients.CreateDynamoDb(
            Env([.. LambdaCredentials, ("AWS_REGION", "us-east-1"), ("AWS_ENDPOINT_URL", "http://127.0.0.1:1"), ("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:4569")]));

        var config = (AmazonDynamoDBConfig)dynamo.Config;
        config.ServiceURL.Should().StartWith("http://127.0.0.1:4569");
        config.AuthenticationRegion.Should().Be("us-east-1");
    }
}

using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;

namespace Pipelines.Shared.Aws;

/// <summary>
/// The official AWS SDK clients (S3, DynamoDB) configured from the same environment variables as our JSON clients:
/// <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>/<c>AWS_ENDPOINT_URL</c>, <c>AWS_REGION</c> and the credential variables.
/// </summary>
public static class AwsSdkClients
{
    public static IAmazonS3 CreateS3() => CreateS3(Environment.GetEnvironmentVariable);

    public static IAmazonS3 CreateS3(Func<string, string?> environment)
    {
        var (endpoint, region, credentials) = Resolve(AwsService.S3, environment);
        return CreateS3(endpoint, region, credentials);
    }

    /// <summary>
    /// An S3 client for <paramref name="endpoint"/> (null = AWS). With a custom endpoint it uses path-style addressing and
    /// only sends/validates checksums when an operation requires them (what s3rver and other emulators understand).
    /// </summary>
    public static IAmazonS3 CreateS3(Uri? endpoint, string region, AwsCredentials? credentials)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        var config = new AmazonS3Config();
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = region;
            config.ForcePathStyle = true;
            config.RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED;
            config.ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        return ToSdkCredentials(credentials) is { } sdkCredentials
            ? new AmazonS3Client(sdkCredentials, config)
            : new AmazonS3Client(config);
    }

    public static IAmazonDynamoDB CreateDynamoDb() => CreateDynamoDb(Environment.GetEnvironmentVariable);

    public static IAmazonDynamoDB CreateDynamoDb(Func<string, string?> environment)
    {
        var (endpoint, region, credentials) = Resolve(AwsService.DynamoDb, environment);
        return CreateDynamoDb(endpoint, region, credentials);
    }

    public static IAmazonDynamoDB CreateDynamoDb(Uri? endpoint, string region, AwsCredentials? credentials)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        var config = new AmazonDynamoDBConfig();
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint.ToString();
            config.AuthenticationRegion = region;
        }
        else
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(region);
        }

        return ToSdkCredentials(credentials) is { } sdkCredentials
            ? new AmazonDynamoDBClient(sdkCredentials, config)
            : new AmazonDynamoDBClient(config);
    }

    private static (Uri? Endpoint, string Region, AwsCredentials? Credentials) Resolve(AwsService service, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var region = AwsEnvironment.ResolveRegion(environment)
                     ?? throw new Configuration.ConfigurationException("AWS_REGION", "Neither AWS_REGION nor AWS_DEFAULT_REGION is set.");
        return (AwsEnvironment.ResolveCustomEndpoint(service, environment), region, AwsEnvironment.ResolveCredentials(environment));
    }

    // Without explicit credentials the SDK's own chain applies (profile, container or instance role).
    private static AWSCredentials? ToSdkCredentials(AwsCredentials? credentials) => credentials switch
    {
        null => null,
        { SessionToken: { } token } => new SessionAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey, token),
        _ => new BasicAWSCredentials(credentials.AccessKeyId, credentials.SecretAccessKey),
    };
}

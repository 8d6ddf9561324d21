using Amazon.DynamoDBv2;
using Amazon.S3;
using Pipelines.LocalCloud.Emulators;
using Pipelines.Shared.Aws;

namespace Pipelines.LocalCloud.Provisioning;

/// <summary>Clients for the local endpoints with the local credentials (the project's own clients where it has them).</summary>
public sealed class LocalClients(IReadOnlyDictionary<string, string> environment) : IDisposable
{
    private static readonly AwsCredentials Credentials = new(LocalCredentials.AccessKeyId, LocalCredentials.SecretAccessKey);

    private readonly Lazy<IAmazonS3> _s3 = new(() => AwsSdkClients.CreateS3(Endpoint(environment, "S3"), LocalCredentials.Region, Credentials));
    private readonly Lazy<IAmazonDynamoDB> _dynamoDb = new(() => AwsSdkClients.CreateDynamoDb(Endpoint(environment, "DYNAMODB"), LocalCredentials.Region, Credentials));

    public KinesisClient Kinesis { get; } = new(Options(AwsService.Kinesis, Endpoint(environment, "KINESIS")));
    public SqsClient Sqs { get; } = new(Options(AwsService.Sqs, Endpoint(environment, "SQS")));
    public SsmClient Ssm { get; } = new(Options(AwsService.Ssm, Endpoint(environment, "SSM")));
    public IAmazonS3 S3 => _s3.Value;
    public IAmazonDynamoDB DynamoDb => _dynamoDb.Value;

    private static AwsClientOptions Options(AwsService service, Uri endpoint) =>
        AwsClientOptions.Create(service, endpoint, LocalCredentials.Region, Credentials);

    private static Uri Endpoint(IReadOnlyDictionary<string, string> environment, string service) =>
        environment.TryGetValue("AWS_ENDPOINT_URL_" + service, out var url)
            ? new Uri(url)
            : new Uri("http://127.0.0.1:1"); // not started: calls fail fast with a connection error

    public void Dispose()
    {
        if (_s3.IsValueCreated) _s3.Value.Dispose();
        if (_dynamoDb.IsValueCreated) _dynamoDb.Value.Dispose();
    }
}

namespace Pipelines.Shared.Aws;

/// <summary>
/// One AWS service as the environment and SigV4 know it: <see cref="EnvironmentId"/> is the suffix of the standard
/// <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c> variable, <see cref="SigningName"/> goes into the credential scope and
/// <see cref="EndpointPrefix"/> into the default <c>https://&lt;prefix&gt;.&lt;region&gt;.amazonaws.com</c>.
/// </summary>
public sealed record AwsService(string EnvironmentId, string SigningName, string EndpointPrefix)
{
    public static AwsService Kinesis { get; } = new("KINESIS", "kinesis", "kinesis");
    public static AwsService Sqs { get; } = new("SQS", "sqs", "sqs");
    public static AwsService Ssm { get; } = new("SSM", "ssm", "ssm");
    public static AwsService S3 { get; } = new("S3", "s3", "s3");
    public static AwsService DynamoDb { get; } = new("DYNAMODB", "dynamodb", "dynamodb");
    public static AwsService DynamoDbStreams { get; } = new("DYNAMODB_STREAMS", "dynamodb", "streams.dynamodb");
    public static AwsService Firehose { get; } = new("FIREHOSE", "firehose", "firehose");

    private static readonly AwsService[] Known = [Kinesis, Sqs, Ssm, S3, DynamoDb, DynamoDbStreams, Firehose];

    /// <summary>Finds a known service by its environment id ("KINESIS") or signing name ("kinesis").</summary>
    public static AwsService Parse(string serviceId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(serviceId);
        foreach (var service in Known)
        {
            if (string.Equals(service.EnvironmentId, serviceId, StringComparison.OrdinalIgnoreCase)
                || string.Equals(service.EndpointPrefix, serviceId, StringComparison.OrdinalIgnoreCase))
            {
                return service;
            }
        }

        throw new ArgumentException(
            $"Unknown AWS service '{serviceId}'. Known: {string.Join(", ", Known.Select(s => s.EnvironmentId))}.", nameof(serviceId));
    }
}

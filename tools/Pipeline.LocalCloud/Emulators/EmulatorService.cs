namespace Pipelines.LocalCloud.Emulators;

/// <summary>The services the local cloud can start. SSM is served in-process (no npm emulator exists for it).</summary>
[Flags]
public enum EmulatorService
{
    None = 0,
    Kinesis = 1,
    DynamoDb = 2,
    S3 = 4,
    Sqs = 8,
    Ssm = 16,
    All = Kinesis | DynamoDb | S3 | Sqs | Ssm,
}

/// <summary>Names used for launcher arguments and AWS_ENDPOINT_URL_&lt;SERVICE&gt; variables.</summary>
public static class EmulatorServiceNames
{
    public static readonly EmulatorService[] NodeServices =
        [EmulatorService.Kinesis, EmulatorService.DynamoDb, EmulatorService.S3, EmulatorService.Sqs];

    /// <summary>The argument tools/local-cloud/launch.js takes.</summary>
    public static string LauncherName(EmulatorService service) => service switch
    {
        EmulatorService.Kinesis => "kinesis",
        EmulatorService.DynamoDb => "dynamodb",
        EmulatorService.S3 => "s3",
        EmulatorService.Sqs => "sqs",
        EmulatorService.Ssm => "ssm",
        _ => throw new ArgumentOutOfRangeException(nameof(service), service, "one service expected"),
    };

    /// <summary>The suffix of the standard AWS_ENDPOINT_URL_&lt;SERVICE&gt; variable.</summary>
    public static string EndpointVariable(EmulatorService service) => service switch
    {
        EmulatorService.Kinesis => "AWS_ENDPOINT_URL_KINESIS",
        EmulatorService.DynamoDb => "AWS_ENDPOINT_URL_DYNAMODB",
        EmulatorService.S3 => "AWS_ENDPOINT_URL_S3",
        EmulatorService.Sqs => "AWS_ENDPOINT_URL_SQS",
        EmulatorService.Ssm => "AWS_ENDPOINT_URL_SSM",
        _ => throw new ArgumentOutOfRangeException(nameof(service), service, "one service expected"),
    };
}

namespace Pipelines.LocalCloud.Emulators;

/// <summary>The one set of credentials every local emulator accepts (s3rver insists on S3RVER/S3RVER).</summary>
public static class LocalCredentials
{
    public const string AccessKeyId = "S3RVER";
    public const string SecretAccessKey = "S3RVER";
    public const string Region = "us-east-1";
    public const string AccountId = "123456789012";
}

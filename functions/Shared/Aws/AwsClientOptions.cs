using Pipelines.Shared.Configuration;
using Pipelines.Shared.Resilience;

namespace Pipelines.Shared.Aws;

/// <summary>Where and as whom a client talks to one AWS service, and how patiently.</summary>
public sealed record AwsClientOptions
{
    public required AwsService Service { get; init; }

    public required Uri Endpoint { get; init; }

    public required string Region { get; init; }

    public required AwsCredentials Credentials { get; init; }

    /// <summary>True when the endpoint came from <c>AWS_ENDPOINT_URL*</c> or was given explicitly (an emulator, a VPC endpoint).</summary>
    public bool IsCustomEndpoint { get; init; }

    public RetryOptions Retry { get; init; } = RetryOptions.Default;

    /// <summary>Time limit for one HTTP attempt; a timed-out attempt is retried.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Reads endpoint, region and credentials the way the AWS SDKs do (see <see cref="AwsEnvironment"/>).</summary>
    public static AwsClientOptions FromEnvironment(string serviceId) =>
        FromEnvironment(AwsService.Parse(serviceId), Environment.GetEnvironmentVariable);

    public static AwsClientOptions FromEnvironment(AwsService service, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(environment);
        var region = AwsEnvironment.ResolveRegion(environment)
                     ?? throw new ConfigurationException("AWS_REGION", "Neither AWS_REGION nor AWS_DEFAULT_REGION is set.");
        var credentials = AwsEnvironment.ResolveCredentials(environment)
                          ?? throw new ConfigurationException(
                              "AWS_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY must both be set.");
        var custom = AwsEnvironment.ResolveCustomEndpoint(service, environment);
        return new AwsClientOptions
        {
            Service = service,
            Region = region,
            Credentials = credentials,
            Endpoint = custom ?? AwsEnvironment.DefaultEndpoint(service, region),
            IsCustomEndpoint = custom is not null,
        };
    }

    /// <summary>Explicit construction, e.g. for a test against an emulator; a null endpoint means AWS's public one.</summary>
    public static AwsClientOptions Create(AwsService service, Uri? endpoint, string region, AwsCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        ArgumentNullException.ThrowIfNull(credentials);
        return new AwsClientOptions
        {
            Service = service,
            Region = region,
            Credentials = credentials,
            Endpoint = endpoint ?? AwsEnvironment.DefaultEndpoint(service, region),
            IsCustomEndpoint = endpoint is not null,
        };
    }
}

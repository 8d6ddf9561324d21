using Pipelines.Shared.Configuration;

namespace Pipelines.Shared.Aws;

/// <summary>The standard AWS environment variables, resolved in the SDKs' order of precedence.</summary>
public static class AwsEnvironment
{
    /// <summary><c>AWS_REGION</c> (what Lambda sets), then <c>AWS_DEFAULT_REGION</c>.</summary>
    public static string? ResolveRegion(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return NonEmpty(environment("AWS_REGION")) ?? NonEmpty(environment("AWS_DEFAULT_REGION"));
    }

    /// <summary><c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c> with the optional <c>AWS_SESSION_TOKEN</c>; null when the pair is absent.</summary>
    public static AwsCredentials? ResolveCredentials(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var accessKey = NonEmpty(environment("AWS_ACCESS_KEY_ID"));
        var secret = NonEmpty(environment("AWS_SECRET_ACCESS_KEY"));
        if (accessKey is null && secret is null)
        {
            return null;
        }

        if (accessKey is null || secret is null)
        {
            var missing = accessKey is null ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY";
            throw new ConfigurationException(missing, $"{missing} is not set although its counterpart is.");
        }

        return new AwsCredentials(accessKey, secret, NonEmpty(environment("AWS_SESSION_TOKEN")));
    }

    /// <summary>
    /// <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>, then <c>AWS_ENDPOINT_URL</c>; null when neither is set or
    /// <c>AWS_IGNORE_CONFIGURED_ENDPOINT_URLS</c> is true.
    /// </summary>
    public static Uri? ResolveCustomEndpoint(AwsService service, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(environment);
        if (string.Equals(NonEmpty(environment("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS")), "true", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var serviceVariable = "AWS_ENDPOINT_URL_" + service.EnvironmentId;
        if (NonEmpty(environment(serviceVariable)) is { } specific)
        {
            return ParseEndpoint(serviceVariable, specific);
        }

        return NonEmpty(environment("AWS_ENDPOINT_URL")) is { } global ? ParseEndpoint("AWS_ENDPOINT_URL", global) : null;
    }

    /// <summary>AWS's public endpoint for the service in the region.</summary>
    public static Uri DefaultEndpoint(AwsService service, string region)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        var domain = region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";
        return new Uri($"https://{service.EndpointPrefix}.{region}.{domain}/");
    }

    private static Uri ParseEndpoint(string variable, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new ConfigurationException(variable, $"{variable} must be an absolute http(s) URL but is '{value}'.");

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

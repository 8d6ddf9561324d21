using Pipelines.Shared.Aws;
using Pipelines.Shared.Resilience;

namespace Pipelines.Tests.Shared.Aws;

/// <summary>Options pointing at a loopback server, with retries that record their waits instead of sleeping.</summary>
internal static class TestAws
{
    public static readonly AwsCredentials Credentials = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");

    public static AwsClientOptions Options(
        AwsService service, Uri endpoint, List<TimeSpan>? waits = null, int maxAttempts = 4, AwsCredentials? credentials = null) =>
        AwsClientOptions.Create(service, endpoint, "us-east-1", credentials ?? Credentials) with
        {
            AttemptTimeout = TimeSpan.FromSeconds(10),
            Retry = new RetryOptions
            {
                MaxAttempts = maxAttempts,
                BaseDelay = TimeSpan.FromMilliseconds(100),
                MaxDelay = TimeSpan.FromMilliseconds(400),
                Random = () => 0.999,
                Delay = (wait, _) =>
                {
                    // Attempts run one after another, so a plain list is enough.
                    waits?.Add(wait);
                    return Task.CompletedTask;
                },
            },
        };
}

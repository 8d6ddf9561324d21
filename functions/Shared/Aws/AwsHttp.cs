namespace Pipelines.Shared.Aws;

/// <summary>
/// The one HttpClient every AWS JSON client in the process shares: pooled connections survive between invocations
/// of a warm Lambda container, and recycling them every few minutes follows DNS changes.
/// </summary>
internal static class AwsHttp
{
    public static HttpClient Shared { get; } = new(
        new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(55),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            MaxConnectionsPerServer = 64,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            UseCookies = false,
        })
    {
        // Each attempt gets its own deadline (AwsClientOptions.AttemptTimeout), so the client never times out by itself.
        Timeout = Timeout.InfiniteTimeSpan,
    };
}

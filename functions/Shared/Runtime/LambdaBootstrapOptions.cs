using System.Globalization;

namespace Pipelines.Shared.Runtime;

/// <summary>What the runtime loop needs from its environment; <see cref="FromEnvironment"/> reads the Lambda variables.</summary>
public sealed class LambdaBootstrapOptions
{
    /// <summary>Lambda's synchronous invocation payload limit (request and response).</summary>
    public const int MaxPayloadBytes = 6 * 1024 * 1024;

    /// <summary>host:port of the Runtime API (AWS_LAMBDA_RUNTIME_API).</summary>
    public string RuntimeApi { get; init; } = "";
    public string FunctionName { get; init; } = "";
    public string FunctionVersion { get; init; } = "$LATEST";
    public int MemoryLimitInMB { get; init; } = 128;
    public int MaxResponseBytes { get; init; } = MaxPayloadBytes;

    public static LambdaBootstrapOptions FromEnvironment() => new()
    {
        RuntimeApi = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API") ?? "",
        FunctionName = Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_NAME") ?? "",
        FunctionVersion = Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_VERSION") is { Length: > 0 } v ? v : "$LATEST",
        MemoryLimitInMB = int.TryParse(Environment.GetEnvironmentVariable("AWS_LAMBDA_FUNCTION_MEMORY_SIZE"),
            NumberStyles.Integer, CultureInfo.InvariantCulture, out var mb) ? mb : 128,
    };
}

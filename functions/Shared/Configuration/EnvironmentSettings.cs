using System.Globalization;

namespace Pipelines.Shared.Configuration;

/// <summary>Reads the environment variables Terraform sets; a missing required one names itself in the error.</summary>
public static class EnvironmentSettings
{
    /// <summary>The value of <paramref name="name"/>; empty or whitespace counts as missing.</summary>
    public static string Require(string name)
    {
        var value = Read(name);
        return value ?? throw new ConfigurationException(
            name, $"Required environment variable '{name}' is not set (it is set by the function's Terraform configuration).");
    }

    public static string Optional(string name, string defaultValue) => Read(name) ?? defaultValue;

    public static string? Optional(string name) => Read(name);

    public static int RequireInt(string name) => ParseInt(name, Require(name));

    public static int OptionalInt(string name, int defaultValue) =>
        Read(name) is { } value ? ParseInt(name, value) : defaultValue;

    private static int ParseInt(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw new ConfigurationException(name, $"Environment variable '{name}' must be an integer but is '{value}'.");

    private static string? Read(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var value = Environment.GetEnvironmentVariable(name);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}

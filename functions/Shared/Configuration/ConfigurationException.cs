namespace Pipelines.Shared.Configuration;

/// <summary>A setting is missing or malformed; thrown at init so the function fails fast with the setting's name.</summary>
public sealed class ConfigurationException : Exception
{
    public ConfigurationException()
    {
    }

    public ConfigurationException(string message)
        : base(message)
    {
    }

    public ConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public ConfigurationException(string settingName, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        SettingName = settingName;
    }

    /// <summary>The environment variable or tunable the problem is about, when there is one.</summary>
    public string? SettingName { get; }
}

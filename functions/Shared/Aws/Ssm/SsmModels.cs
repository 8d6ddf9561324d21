using System.Text.Json.Serialization;

namespace Pipelines.Shared.Aws;

/// <summary>One Parameter Store parameter as GetParametersByPath/GetParameter return it.</summary>
public sealed class SsmParameter
{
    public string Name { get; set; } = "";

    /// <summary>String, StringList or SecureString.</summary>
    public string Type { get; set; } = "String";

    /// <summary>The value, decrypted when WithDecryption was asked for.</summary>
    public string Value { get; set; } = "";

    public long Version { get; set; }

    /// <summary>Epoch seconds.</summary>
    public double? LastModifiedDate { get; set; }

    [JsonPropertyName("ARN")]
    public string? Arn { get; set; }

    public string? DataType { get; set; }
}

internal sealed class SsmGetParametersByPathRequest
{
    public string Path { get; set; } = "";

    public bool Recursive { get; set; }

    public bool WithDecryption { get; set; }

    public int? MaxResults { get; set; }

    public string? NextToken { get; set; }
}

internal sealed class SsmGetParametersByPathResponse
{
    public List<SsmParameter> Parameters { get; set; } = [];

    public string? NextToken { get; set; }
}

internal sealed class SsmGetParameterRequest
{
    public string Name { get; set; } = "";

    public bool WithDecryption { get; set; }
}

internal sealed class SsmGetParameterResponse
{
    public SsmParameter Parameter { get; set; } = new();
}

internal sealed class SsmPutParameterRequest
{
    public string Name { get; set; } = "";

    public string Value { get; set; } = "";

    public string Type { get; set; } = "String";

    public bool Overwrite { get; set; }
}

internal sealed class SsmPutParameterResponse
{
    public long Version { get; set; }
}

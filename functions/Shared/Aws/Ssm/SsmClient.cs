namespace Pipelines.Shared.Aws;

/// <summary>The Parameter Store operations this project uses (<c>AmazonSSM.&lt;Op&gt;</c>, x-amz-json-1.1).</summary>
public sealed class SsmClient
{
    private readonly AwsJsonClient client;

    public SsmClient(AwsClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        client = new AwsJsonClient(options, "AmazonSSM", "1.1");
    }


    public static SsmClient FromEnvironment() => new(AwsClientOptions.FromEnvironment(AwsService.Ssm.EnvironmentId));

    public AwsClientOptions Options => client.Options;

    /// <summary>Every parameter under <paramref name="path"/>, following NextToken pages (10 per page, the API's maximum).</summary>
    public async Task<IReadOnlyList<SsmParameter>> GetParametersByPathAsync(
        string path, bool recursive = true, bool withDecryption = true, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var parameters = new List<SsmParameter>();
        string? nextToken = null;
        do
        {
            var request = new SsmGetParametersByPathRequest
            {
                Path = path,
                Recursive = recursive,
                WithDecryption = withDecryption,
                MaxResults = 10,
                NextToken = nextToken,
            };
            var page = await client.SendAsync(
                    "GetParametersByPath",
                    request,
                    AwsJsonContext.Default.SsmGetParametersByPathRequest,
                    AwsJsonContext.Default.SsmGetParametersByPathResponse,
                    cancellationToken)
                .ConfigureAwait(false);
            parameters.AddRange(page.Parameters);
            nextToken = string.IsNullOrEmpty(page.NextToken) ? null : page.NextToken;
        }
        while (nextToken is not null);

        return parameters;
    }

    public async Task<SsmParameter> GetParameterAsync(string name, bool withDecryption = true, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var response = await client.SendAsync(
                "GetParameter",
                new SsmGetParameterRequest { Name = name, WithDecryption = withDecryption },
                AwsJsonContext.Default.SsmGetParameterRequest,
                AwsJsonContext.Default.SsmGetParameterResponse,
                cancellationToken)
            .ConfigureAwait(false);
        return response.Parameter;
    }

    /// <summary>Creates or (with <paramref name="overwrite"/>) updates a parameter; returns its new version.</summary>
    public async Task<long> PutParameterAsync(
        string name, string value, string type = "String", bool overwrite = true, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(value);
        var response = await client.SendAsync(
                "PutParameter",
                new SsmPutParameterRequest { Name = name, Value = value, Type = type, Overwrite = overwrite },
                AwsJsonContext.Default.SsmPutParameterRequest,
                AwsJsonContext.Default.SsmPutParameterResponse,
                cancellationToken)
            .ConfigureAwait(false);
        return response.Version;
    }
}

using System.Text;
using System.Text.Json;

namespace Pipelines.Cli.LocalRun;

/// <summary>Everything local lives under one git-ignored folder, <c>.local/</c> at the repository root.</summary>
internal sealed class LocalPaths(string repoRoot)
{
    public string Root { get; } = Path.Combine(repoRoot, ".local");

    /// <summary>State of the cloud `local up` runs (kept across restarts with --keep-state).</summary>
    public string CloudState => Path.Combine(Root, "cloud");

    /// <summary>State of the last run-local (emptied when the next one starts).</summary>
    public string RunState => Path.Combine(Root, "run-local");

    /// <summary>`source .local/env.sh` points the AWS SDKs and the CLI at the running local cloud.</summary>
    public string EnvFile => Path.Combine(Root, "env.sh");

    /// <summary>Which process serves the cloud, and its endpoints (JSON).</summary>
    public string CloudInfo => Path.Combine(Root, "cloud.json");

    public string ServeLog => Path.Combine(Root, "cloud.log");

    /// <summary>Writes env.sh with the endpoint exports, credentials and region.</summary>
    public void WriteEnvFile(IReadOnlyDictionary<string, string> environment)
    {
        Directory.CreateDirectory(Root);
        var sb = new StringBuilder("# Written by ./scripts/pipeline local up / run-local --keep: `source .local/env.sh` to use the local cloud.\n");
        foreach (var (k, v) in environment.OrderBy(kv => kv.Key, StringComparer.Ordinal)) sb.Append("export ").Append(k).Append("='").Append(v).Append("'\n");
        File.WriteAllText(EnvFile, sb.ToString());
    }

    public void WriteCloudInfo(CloudInfoFile info)
    {
        Directory.CreateDirectory(Root);
        File.WriteAllText(CloudInfo, JsonSerializer.Serialize(info, CloudInfoJson.Options));
    }

    public CloudInfoFile? ReadCloudInfo()
    {
        try
        {
            return File.Exists(CloudInfo) ? JsonSerializer.Deserialize<CloudInfoFile>(File.ReadAllText(CloudInfo), CloudInfoJson.Options) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public void ClearCloudInfo()
    {
        if (File.Exists(CloudInfo)) File.Delete(CloudInfo);
        if (File.Exists(EnvFile)) File.Delete(EnvFile);
    }
}

/// <summary>What .local/cloud.json records about a running cloud.</summary>
internal sealed record CloudInfoFile(int Pid, string StartedAt, string StateDirectory, Dictionary<string, string> Environment, string Status);

internal static class CloudInfoJson
{
    public static readonly JsonSerializerOptions Options = new() { WriteIndented = true };
}

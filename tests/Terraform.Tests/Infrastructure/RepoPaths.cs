using System.Reflection;

namespace Pipelines.Tests.Terraform.Infrastructure;

/// <summary>Locations in the repository, found by walking up to Functions.sln.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string Terraform => Path.Combine(Root, "terraform");

    public static string Environments => Path.Combine(Terraform, "environments");

    public static string Topology => Path.Combine(Root, "topology", "topology.json");

    public static string Jenkinsfile => Path.Combine(Root, "Jenkinsfile");

    public static string PolicyTool => Path.Combine(Root, "tools", "terraform-policy");

    public static string BadFixtures => Path.Combine(Root, "tests", "Terraform.Tests", "Fixtures", "bad");

    /// <summary>Path relative to the repository root with forward slashes, for messages.</summary>
    public static string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    private static string FindRoot()
    {
        // The build output may live outside the checkout (--artifacts-path), so try the output directory, the
        // working directory, then the checkout the assembly was built from.
        var builtFrom = typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepoRoot")?.Value;
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory(), builtFrom })
        {
            for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Functions.sln")))
                {
                    return Path.TrimEndingDirectorySeparator(dir.FullName);
                }
            }
        }

        throw new InvalidOperationException(
            $"Functions.sln not found above {AppContext.BaseDirectory}, {Directory.GetCurrentDirectory()} or {builtFrom}.");
    }
}

using System.Reflection;

namespace Pipelines.LocalCloud.Emulators;

/// <summary>Finds the repository root (the folder holding Functions.sln) and the installed emulators under it.</summary>
public static class RepoLocator
{
    public const string RepoRootVariable = "PIPELINE_REPO_ROOT";
    private const string SolutionFile = "Functions.sln";

    /// <summary>PIPELINE_REPO_ROOT, else walking up from the app folder, then the working folder, then the folder this was built from.</summary>
    public static string FindRepoRoot()
    {
        var fromEnv = Environment.GetEnvironmentVariable(RepoRootVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv))
        {
            return File.Exists(Path.Combine(fromEnv, SolutionFile))
                ? Path.GetFullPath(fromEnv)
                : throw new InvalidOperationException($"{RepoRootVariable}={fromEnv} does not hold {SolutionFile}");
        }

        // Builds with --artifacts-path put binaries outside the repo, so the build-time root is the last resort.
        var candidates = new[] { AppContext.BaseDirectory, Environment.CurrentDirectory, BuildTimeRepoRoot() };
        foreach (var start in candidates)
        {
            if (string.IsNullOrEmpty(start)) continue;
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, SolutionFile))) return dir.FullName;
            }
        }
        throw new InvalidOperationException(
            $"cannot find the repository root ({SolutionFile}) above {AppContext.BaseDirectory}; set {RepoRootVariable}");
    }

    /// <summary>tools/local-cloud with node_modules installed, or a clear error saying how to install it.</summary>
    public static string FindLocalCloudPackage(string? repoRoot = null)
    {
        var root = repoRoot ?? FindRepoRoot();
        var package = Path.Combine(root, "tools", "local-cloud");
        string[] required = ["kinesalite", "dynalite", "s3rver", "local-aws-sqs"];
        var missing = required.Where(m => !Directory.Exists(Path.Combine(package, "node_modules", m))).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"the local AWS emulators are not installed ({string.Join(", ", missing)} missing under {package}/node_modules): " +
                "run npm ci in tools/local-cloud");
        }
        return package;
    }

    private static string? BuildTimeRepoRoot() =>
        typeof(RepoLocator).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepoRoot")?.Value;
}

using System.Diagnostics;
using System.Xml.Linq;
using Pipelines.LocalCloud.Emulators;
using Pipelines.LocalCloud.Topology;

namespace Pipelines.LocalCloud.RuntimeApi;

/// <summary>
/// Finds a runnable build of a function by its topology name (its <c>project</c> folder), in this order:
/// the published <c>artifacts/publish/&lt;function&gt;/bootstrap</c> (scripts/package.sh) when it is newer than the
/// sources; the function's dll next to the running program (the CLI and the test projects reference every function
/// they run, whatever --artifacts-path they were built with); else a Release build made on demand into
/// <c>.local/build</c> and reused while the sources do not change.
/// </summary>
public static class FunctionLocator
{
    public static FunctionLaunch Resolve(string functionName, LaunchPreference preference = LaunchPreference.Auto,
        string? repoRoot = null, Action<string>? progress = null)
    {
        var root = repoRoot ?? RepoLocator.FindRepoRoot();
        var project = ProjectOf(root, functionName);
        var newestSource = NewestSourceWrite(root, project.Directory);

        var bootstrap = PublishedBootstrapPath(root, functionName);
        if (preference == LaunchPreference.Bootstrap)
        {
            return File.Exists(bootstrap)
                ? FunctionLaunch.Bootstrap(bootstrap)
                : throw new FileNotFoundException($"{bootstrap} does not exist: run scripts/package.sh {functionName}", bootstrap);
        }
        if (preference == LaunchPreference.Auto && File.Exists(bootstrap) && File.GetLastWriteTimeUtc(bootstrap) >= newestSource)
            return FunctionLaunch.Bootstrap(bootstrap);

        var adjacent = Path.Combine(AppContext.BaseDirectory, project.AssemblyName + ".dll");
        if (File.Exists(adjacent) && File.Exists(Path.ChangeExtension(adjacent, ".runtimeconfig.json")))
            return FunctionLaunch.Dll(adjacent);

        return FunctionLaunch.Dll(BuildOnDemand(root, project, newestSource, progress));
    }

    /// <summary>Where scripts/package.sh leaves the unzipped bootstrap of a function.</summary>
    public static string PublishedBootstrapPath(string repoRoot, string functionName) =>
        Path.Combine(repoRoot, "artifacts", "publish", functionName, "bootstrap");

    public static IReadOnlyList<string> FunctionNames(string? repoRoot = null) =>
        [.. TopologyReader.LoadFromRepo(repoRoot ?? RepoLocator.FindRepoRoot()).Functions.Select(f => f.Name).Order(StringComparer.Ordinal)];

    internal sealed record FunctionProject(string Directory, string ProjectFile, string AssemblyName);

    internal static FunctionProject ProjectOf(string repoRoot, string functionName)
    {
        var topology = TopologyReader.LoadFromRepo(repoRoot);
        var spec = topology.Functions.FirstOrDefault(f => f.Name == functionName)
            ?? throw new KeyNotFoundException(
                $"no function '{functionName}' in topology/topology.json (functions: {string.Join(", ", topology.Functions.Select(f => f.Name))})");
        var dir = Path.GetFullPath(Path.Combine(repoRoot, spec.Project));
        var csproj = Directory.GetFiles(dir, "*.csproj").SingleOrDefault()
            ?? throw new FileNotFoundException($"{dir} has no single .csproj for function '{functionName}'");
        var assemblyName = XDocument.Load(csproj).Descendants("AssemblyName").Select(e => e.Value.Trim()).FirstOrDefault(v => v.Length > 0)
            ?? Path.GetFileNameWithoutExtension(csproj);
        return new FunctionProject(dir, csproj, assemblyName);
    }

    /// <summary>Newest write time of anything that goes into the function's build (its project and the shared library).</summary>
    internal static DateTime NewestSourceWrite(string repoRoot, string projectDirectory)
    {
        var newest = DateTime.MinValue;
        foreach (var dir in new[] { projectDirectory, Path.Combine(repoRoot, "functions", "Shared") })
        {
            if (!Directory.Exists(dir)) continue;
            foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
            {
                var rel = Path.GetRelativePath(dir, file);
                if (rel.StartsWith("bin" + Path.DirectorySeparatorChar, StringComparison.Ordinal) ||
                    rel.StartsWith("obj" + Path.DirectorySeparatorChar, StringComparison.Ordinal)) continue;
                if (!(file.EndsWith(".cs", StringComparison.Ordinal) || file.EndsWith(".csproj", StringComparison.Ordinal) ||
                      file.EndsWith(".json", StringComparison.Ordinal))) continue;
                var t = File.GetLastWriteTimeUtc(file);
                if (t > newest) newest = t;
            }
        }
        foreach (var props in new[] { "Directory.Build.props", "Directory.Packages.props" })
        {
            var path = Path.Combine(repoRoot, props);
            if (File.Exists(path) && File.GetLastWriteTimeUtc(path) > newest) newest = File.GetLastWriteTimeUtc(path);
        }
        return newest;
    }

    private static string BuildOnDemand(string repoRoot, FunctionProject project, DateTime newestSource, Action<string>? progress)
    {
        var buildRoot = Path.Combine(repoRoot, ".local", "build");
        var projectName = Path.GetFileNameWithoutExtension(project.ProjectFile);
        var dll = Path.Combine(buildRoot, "bin", projectName, "release", project.AssemblyName + ".dll");
        Directory.CreateDirectory(buildRoot);
        // One build at a time per function, across processes (several local-cloud hosts may start the same function).
        using var gate = AcquireLock(Path.Combine(buildRoot, projectName + ".lock"));
        if (File.Exists(dll) && File.GetLastWriteTimeUtc(dll) >= newestSource) return dll;

        progress?.Invoke($"building {projectName} (Release) into {buildRoot} ...");
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "build", project.ProjectFile, "-c", "Release", "--artifacts-path", buildRoot, "-nologo", "-v", "q", "-clp:ErrorsOnly" })
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start dotnet build");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        p.WaitForExit();
        if (p.ExitCode != 0 || !File.Exists(dll))
            throw new InvalidOperationException($"dotnet build {project.ProjectFile} failed (exit {p.ExitCode}):\n{stdout.Result}{stderr.Result}");
        File.SetLastWriteTimeUtc(dll, DateTime.UtcNow); // an up-to-date build that copied nothing still counts as fresh
        return dll;
    }

    private static FileStream AcquireLock(string path)
    {
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(200);
            }
        }
    }
}

using System.Diagnostics;
using System.IO.Compression;
using System.Text;

namespace Pipelines.Tests.Terraform.Infrastructure;

/// <summary>
/// The real terraform binary, when this machine has one (PLATFORM.md: CI may not). Providers come from a local
/// filesystem mirror (TF_PLUGIN_MIRROR, or the usual mirror directories); nothing is downloaded.
/// </summary>
internal static class TerraformCli
{
    private static readonly string[] MirrorCandidates =
    [
        Environment.GetEnvironmentVariable("TF_PLUGIN_MIRROR") ?? "",
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".terraform.d", "plugins"),
        "/usr/local/share/terraform/plugins",
        "/usr/share/terraform/plugins",
        "/opt/tf-plugins",
    ];

    public static string? Binary { get; } = FindOnPath("terraform");

    /// <summary>A mirror directory holding hashicorp/aws, or null.</summary>
    public static string? ProviderMirror { get; } = MirrorCandidates
        .Where(d => d.Length > 0)
        .FirstOrDefault(d => Directory.Exists(Path.Combine(d, "registry.terraform.io", "hashicorp", "aws")));

    public static (int ExitCode, string Output) Run(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(Binary ?? throw new InvalidOperationException("terraform is not installed"))
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        start.Environment["TF_IN_AUTOMATION"] = "1";
        start.Environment["TF_INPUT"] = "0";
        start.Environment["CHECKPOINT_DISABLE"] = "1";

        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"terraform {string.Join(' ', arguments)} did not finish within 3 minutes");
        }

        output.Append(stdout.Result).Append(stderr.Result);
        return (process.ExitCode, output.ToString());
    }

    /// <summary>
    /// A scratch copy of terraform/ and topology/ (so init leaves no lock file or .terraform in the checkout), with a
    /// zip per topology function in artifacts/ and a CLI config that installs providers from the mirror.
    /// </summary>
    public static string PrepareScratchCopy(IEnumerable<string> functionNames)
    {
        var scratch = Path.Combine(Path.GetTempPath(), $"terraform-tests-{Environment.ProcessId}-{Guid.NewGuid():N}");
        CopyTree(RepoPaths.Terraform, Path.Combine(scratch, "terraform"));
        Directory.CreateDirectory(Path.Combine(scratch, "topology"));
        File.Copy(RepoPaths.Topology, Path.Combine(scratch, "topology", "topology.json"));

        var artifacts = Directory.CreateDirectory(Path.Combine(scratch, "artifacts")).FullName;
        foreach (var name in functionNames)
        {
            using var zip = ZipFile.Open(Path.Combine(artifacts, $"{name}.zip"), ZipArchiveMode.Create);
            using var writer = new StreamWriter(zip.CreateEntry("bootstrap").Open());
            writer.Write("#!/bin/sh\n");
        }

        File.WriteAllText(Path.Combine(scratch, "terraformrc"), $$"""
            provider_installation {
              filesystem_mirror {
                path    = "{{ProviderMirror}}"
                include = ["registry.terraform.io/hashicorp/aws"]
              }
            }
            """);
        return scratch;
    }

    private static void CopyTree(string from, string to)
    {
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            if (relative.Split(Path.DirectorySeparatorChar).Any(p => p == ".terraform") || relative.EndsWith(".terraform.lock.hcl", StringComparison.Ordinal))
            {
                continue;
            }

            var target = Path.Combine(to, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}

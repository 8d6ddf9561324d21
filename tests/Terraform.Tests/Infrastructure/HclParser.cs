using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Pipelines.Tests.Terraform.Infrastructure;

/// <summary>A syntax error as HashiCorp's parser reports it ("file:line,col-line,col: summary; detail").</summary>
internal sealed record ParseError(string File, string Message);

/// <summary>Parsed HCL files (hcl2json bodies) by absolute path, and the files that did not parse.</summary>
internal sealed record ParseResult(IReadOnlyDictionary<string, JsonObject> Files, IReadOnlyList<ParseError> Errors);

/// <summary>
/// Runs tools/terraform-policy/parse.js (HashiCorp's HCL parser compiled to wasm, pinned in package-lock.json) once
/// per test run over every .tf, .tfvars and backend.hcl file of terraform/ and of the bad fixtures, and caches the result.
/// </summary>
internal static class HclParser
{
    private static readonly Lazy<ParseResult> LazyAll = new(() => Parse(AllHclFiles()));

    public static ParseResult All => LazyAll.Value;

    public static IReadOnlyList<string> AllHclFiles() =>
        HclFilesUnder(RepoPaths.Terraform).Concat(HclFilesUnder(RepoPaths.BadFixtures)).ToList();

    public static IEnumerable<string> HclFilesUnder(string dir) =>
        !Directory.Exists(dir)
            ? []
            : Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".tf", StringComparison.Ordinal) || f.EndsWith(".tfvars", StringComparison.Ordinal) ||
                            f.EndsWith("backend.hcl", StringComparison.Ordinal))
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}.terraform{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal);

    public static ParseResult Parse(IReadOnlyList<string> files)
    {
        var tool = RepoPaths.PolicyTool;
        if (!Directory.Exists(Path.Combine(tool, "node_modules", "@cdktf", "hcl2json")))
        {
            throw new InvalidOperationException(
                "tools/terraform-policy/node_modules is missing: run `npm ci` in tools/terraform-policy " +
                "(.ci/run and scripts/test.sh do this before the tests).");
        }

        var start = new ProcessStartInfo("node")
        {
            WorkingDirectory = tool,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(tool, "parse.js"));
        start.ArgumentList.Add("--stdin");

        using var process = Process.Start(start) ?? throw new InvalidOperationException("node could not be started");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.Write(string.Join('\n', files));
        process.StandardInput.Close();
        if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("parse.js did not finish within 2 minutes");
        }

        var output = stdout.Result;
        if (process.ExitCode > 1 || output.Length == 0)
        {
            throw new InvalidOperationException($"parse.js failed (exit {process.ExitCode}): {stderr.Result}");
        }

        var document = JsonNode.Parse(output)!.AsObject();
        var parsed = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var (path, body) in document["files"]!.AsObject())
        {
            parsed[Path.GetFullPath(path)] = body!.AsObject();
        }

        var errors = document["errors"]!.AsArray()
            .Select(e => new ParseError(Path.GetFullPath((string)e!["file"]!), (string)e["message"]!))
            .ToList();
        return new ParseResult(parsed, errors);
    }
}

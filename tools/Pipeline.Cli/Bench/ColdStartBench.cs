using Pipelines.Cli.Commands;
using Pipelines.LocalCloud.Emulators;
using Pipelines.LocalCloud.RuntimeApi;

namespace Pipelines.Cli.Bench;

/// <summary>Cold starts of one build of one function (or why that build was not measured).</summary>
internal sealed record ColdStartResult(string Function, string Build, int Runs, double? MedianMs, double? MinMs, double? MaxMs, int Failures, string? Note)
{
    public const double BootstrapTargetMs = 150;

    /// <summary>Only the published bootstrap (what Lambda runs) has a target; null when there is none or nothing was measured.</summary>
    public bool? Met => Build != "bootstrap" || MedianMs is not { } ms ? null : Failures == 0 && ms <= BootstrapTargetMs;
}

/// <summary>
/// Process start -> first response on a loopback Runtime API, measured by the same probe as <c>pipeline coldstart</c>
/// (<see cref="ColdStartProbe"/>): the published bootstrap (scripts/package.sh) and <c>dotnet &lt;dll&gt;</c>.
/// </summary>
internal static class ColdStartBench
{
    public static async Task<List<ColdStartResult>> RunAsync(BenchTopology topology, string repoRoot, BenchOptions options, Action<string> progress, CancellationToken cancellationToken)
    {
        var results = new List<ColdStartResult>();
        foreach (var spec in topology.Document.Functions.Where(f => options.Includes(f.Name)).OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            var env = InvokeCommand.EnvironmentFor(topology.Document, spec);
            // As `pipeline coldstart` does: no SSM prefix, so init makes no AWS call and only the runtime is measured.
            env.Remove("SSM_PARAMETER_PREFIX");
            // Clients are built at init; the ones that insist on credentials get the local ones (no call is made).
            env.TryAdd("AWS_ACCESS_KEY_ID", LocalCredentials.AccessKeyId);
            env.TryAdd("AWS_SECRET_ACCESS_KEY", LocalCredentials.SecretAccessKey);
            var payload = ColdStartProbe.EmptyEventFor(spec.Source.Type);
            var timeout = TimeSpan.FromSeconds(spec.TimeoutS);

            var bootstrap = FunctionLocator.PublishedBootstrapPath(repoRoot, spec.Name);
            if (File.Exists(bootstrap))
                results.Add(await MeasureAsync(spec.Name, "bootstrap", FunctionLaunch.Bootstrap(bootstrap), payload, env, options.ColdStartRuns, timeout, progress, cancellationToken));
            else
                results.Add(new ColdStartResult(spec.Name, "bootstrap", 0, null, null, null, 0,
                    $"not published: run scripts/package.sh (creates {Path.GetRelativePath(repoRoot, bootstrap)})"));

            var dll = FunctionLocator.Resolve(spec.Name, LaunchPreference.Dll, repoRoot, progress);
            results.Add(await MeasureAsync(spec.Name, "dotnet dll", dll, payload, env, options.ColdStartRuns, timeout, progress, cancellationToken));
        }
        return results;
    }

    private static async Task<ColdStartResult> MeasureAsync(string function, string build, FunctionLaunch launch, byte[] payload,
        Dictionary<string, string> env, int runs, TimeSpan timeout, Action<string> progress, CancellationToken cancellationToken)
    {
        progress($"cold start: {function} ({build}) x{runs}");
        var summary = await ColdStartProbe.MeasureAsync(function, launch, payload, env, runs, timeout, onOutput: null, cancellationToken);
        var note = summary.Failures == 0 ? null
            : $"{summary.Failures} run(s) failed, e.g. {summary.Samples.First(s => s.Status != InvokeStatus.Ok).ErrorType}";
        return new ColdStartResult(function, build, runs, summary.Median.TotalMilliseconds, summary.Min.TotalMilliseconds, summary.Max.TotalMilliseconds,
            summary.Failures, note);
    }
}

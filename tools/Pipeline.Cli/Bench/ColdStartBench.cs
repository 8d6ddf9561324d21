using Pipelines.Cli.Commands;
using Pipelines.LocalCloud.Emulators;
using Pipelines.LocalCloud.Http;
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
/// (<see cref="ColdStartProbe"/>): the published bootstrap (scripts/package.sh) and <c>dotnet &lt;dll&gt;</c>, each
/// invoked with an empty event of its source type. A function whose first invocation reads DynamoDB even then
/// (catalog-consolidator scans partner-priority) talks to a loopback DynamoDB holding empty tables, so the figure
/// includes that first SDK call, as in Lambda, without waiting on a network this machine does not have.
/// </summary>
internal static class ColdStartBench
{
    /// <summary>A cold start slower than this has failed its purpose; do not wait for the function's full timeout.</summary>
    private static readonly TimeSpan MaxColdStart = TimeSpan.FromSeconds(20);

    private const string EmptyScan = "{\"Count\":0,\"ScannedCount\":0,\"Items\":[]}";

    public static async Task<List<ColdStartResult>> RunAsync(BenchTopology topology, string repoRoot, BenchOptions options, Action<string> progress, CancellationToken cancellationToken)
    {
        await using var dynamo = await LoopbackHttpServer.StartAsync(ctx => AwsJsonResponses.WriteAsync(ctx, EmptyScan), 0, cancellationToken);
        var results = new List<ColdStartResult>();
        foreach (var spec in topology.Document.Functions.Where(f => options.Includes(f.Name)).OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            var env = ColdStartCommand.EnvironmentFor(topology.Document, spec);
            env.TryAdd("AWS_ENDPOINT_URL_DYNAMODB", dynamo.Endpoint.ToString());
            var payload = ColdStartProbe.EmptyEventFor(spec.Source.Type);
            var timeout = TimeSpan.FromSeconds(Math.Min(spec.TimeoutS, MaxColdStart.TotalSeconds));

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
        // One probe first: a build that cannot answer at all is reported once, not timed out twenty times.
        var first = await ColdStartProbe.MeasureAsync(function, launch, payload, env, 1, timeout, onOutput: null, cancellationToken);
        if (first.Failures > 0)
        {
            return new ColdStartResult(function, build, 1, null, null, null, 1,
                $"the first cold start failed ({first.Samples[0].Status} {first.Samples[0].ErrorType}); not repeated");
        }
        var rest = runs > 1 ? await ColdStartProbe.MeasureAsync(function, launch, payload, env, runs - 1, timeout, onOutput: null, cancellationToken) : null;
        var summary = new ColdStartSummary(function, launch, [.. first.Samples, .. rest?.Samples ?? []]);
        var note = summary.Failures == 0 ? null
            : $"{summary.Failures} run(s) failed, e.g. {summary.Samples.First(s => s.Status != InvokeStatus.Ok).ErrorType}";
        return new ColdStartResult(function, build, runs, summary.Median.TotalMilliseconds, summary.Min.TotalMilliseconds, summary.Max.TotalMilliseconds,
            summary.Failures, note);
    }
}

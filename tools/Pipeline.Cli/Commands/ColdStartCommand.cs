using System.Globalization;
using Pipelines.LocalCloud.Emulators;
using Pipelines.LocalCloud.RuntimeApi;
using Pipelines.LocalCloud.Topology;

namespace Pipelines.Cli.Commands;

/// <summary>
/// <c>coldstart &lt;function&gt;</c>: median time from process start to first response on a loopback Runtime API,
/// for the published bootstrap (scripts/package.sh) and for <c>dotnet &lt;dll&gt;</c>, plus the package size.
/// </summary>
public sealed class ColdStartCommand : ICommand
{
    public string Name => "coldstart";

    public string Summary => "<function> [--runs 10] [--build both|bootstrap|dll] [--event <file>]: measure cold start (process start -> first response)";

    public async Task<int> RunAsync(CliArgs args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = RepoLocator.FindRepoRoot();
        var topology = TopologyReader.LoadFromRepo(root);
        var name = args.Positional.Count > 0 ? args.Positional[0] : throw new CliUsageException("name the function to measure");
        var spec = topology.Functions.FirstOrDefault(f => f.Name == name)
            ?? throw new CliUsageException($"unknown function '{name}' (functions: {string.Join(", ", topology.Functions.Select(f => f.Name))})");
        var runs = args.GetInt("runs", 10);
        if (runs < 1) throw new CliUsageException("--runs must be at least 1");
        var payload = args.Get("event") is { } file ? await File.ReadAllBytesAsync(file, cancellationToken) : ColdStartProbe.EmptyEventFor(spec.Source.Type);
        var env = EnvironmentFor(topology, spec);

        var launches = new List<FunctionLaunch>();
        var build = args.Get("build") ?? "both";
        if (build is "both" or "bootstrap")
        {
            var bootstrap = FunctionLocator.PublishedBootstrapPath(root, name);
            if (File.Exists(bootstrap)) launches.Add(FunctionLaunch.Bootstrap(bootstrap));
            else if (build == "bootstrap") throw new CliUsageException($"{bootstrap} does not exist: run scripts/package.sh {name}");
            else await Console.Error.WriteLineAsync($"no published bootstrap ({bootstrap}); run scripts/package.sh {name} to compare");
        }
        if (build is "both" or "dll")
            launches.Add(FunctionLocator.Resolve(name, LaunchPreference.Dll, root, line => Console.Error.WriteLine(line)));
        if (launches.Count == 0) throw new CliUsageException($"--build expects both, bootstrap or dll, got '{build}'");

        var failed = false;
        Console.WriteLine($"{"function",-28} {"build",-10} {"runs",4} {"median ms",10} {"min ms",8} {"max ms",8} {"cpu ms",8} {"failed",6}");
        foreach (var launch in launches)
        {
            var summary = await ColdStartProbe.MeasureAsync(name, launch, payload, env, runs, TimeSpan.FromSeconds(spec.TimeoutS),
                onOutput: null, cancellationToken);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name,-28} {launch.Kind.ToString().ToLowerInvariant(),-10} {runs,4} {summary.Median.TotalMilliseconds,10:0.0} {summary.Min.TotalMilliseconds,8:0.0} {summary.Max.TotalMilliseconds,8:0.0} {summary.MedianProcessorTime.TotalMilliseconds,8:0.0} {summary.Failures,6}"));
            if (summary.Failures > 0)
            {
                failed = true;
                var first = summary.Samples.First(s => s.Status != InvokeStatus.Ok);
                await Console.Error.WriteLineAsync($"{launch.Kind}: {summary.Failures} run(s) failed, e.g. {first.Status} {first.ErrorType}");
            }
        }
        var zip = Path.Combine(root, "artifacts", name + ".zip");
        if (File.Exists(zip))
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"package {zip}: {new FileInfo(zip).Length / 1024.0 / 1024.0:0.00} MB"));
        return failed ? 1 : 0;
    }

    /// <summary>
    /// The function's environment for a cold start: no SSM prefix, so tunables fall back to their defaults and init
    /// makes no AWS call (only the runtime is measured); clients that insist on credentials at init get the local
    /// ones when the shell has none (no call is made with them).
    /// </summary>
    internal static Dictionary<string, string> EnvironmentFor(TopologyDocument topology, FunctionSpec spec)
    {
        var env = InvokeCommand.EnvironmentFor(topology, spec);
        env.Remove("SSM_PARAMETER_PREFIX");
        env.TryAdd("AWS_ACCESS_KEY_ID", LocalCredentials.AccessKeyId);
        env.TryAdd("AWS_SECRET_ACCESS_KEY", LocalCredentials.SecretAccessKey);
        return env;
    }
}

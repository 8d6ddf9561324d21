using Pipelines.LocalCloud.Emulators;
using Pipelines.LocalCloud.RuntimeApi;
using Pipelines.LocalCloud.Topology;

namespace Pipelines.Cli.Commands;

/// <summary>
/// <c>invoke &lt;function&gt; --event &lt;file|-&gt;</c>: runs the function once the way Lambda does, as a child process
/// polling a loopback Runtime API, and prints its response JSON on stdout (its logs go to stderr).
/// </summary>
public sealed class InvokeCommand : ICommand
{
    public string Name => "invoke";

    public string Summary =>
        "<function> --event <file|-> [--timeout <s>] [--build auto|bootstrap|dll] [--quiet]: run a function once through the Lambda Runtime API";

    public async Task<int> RunAsync(CliArgs args, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        var root = RepoLocator.FindRepoRoot();
        var topology = TopologyReader.LoadFromRepo(root);
        if (args.Has("help") || args.Has("h"))
        {
            PrintHelp(topology);
            return 0;
        }
        var name = args.Positional.Count > 0 ? args.Positional[0] : throw new CliUsageException("name the function to invoke");
        var spec = topology.Functions.FirstOrDefault(f => f.Name == name)
            ?? throw new CliUsageException($"unknown function '{name}' (functions: {string.Join(", ", topology.Functions.Select(f => f.Name))})");
        var payload = await ReadEventAsync(args.Require("event"), cancellationToken);
        var timeout = TimeSpan.FromSeconds(args.GetDouble("timeout", spec.TimeoutS));
        var quiet = args.Has("quiet");

        await using var fn = await FunctionProcess.StartAsync(name, EnvironmentFor(topology, spec), new FunctionProcessOptions
        {
            RepoRoot = root,
            Preference = ParsePreference(args.Get("build")),
            Timeout = timeout,
            OnOutput = quiet ? null : line => Console.Error.WriteLine(line.Text),
        }, cancellationToken);
        if (!quiet) await Console.Error.WriteLineAsync($"invoke {name}: {fn.Launch} (runtime API {fn.RuntimeApiAddress})");

        var result = await fn.InvokeAsync(payload, timeout, cancellationToken);

        await using (var stdout = Console.OpenStandardOutput())
        {
            await stdout.WriteAsync(result.Payload, cancellationToken);
            await stdout.WriteAsync("\n"u8.ToArray(), cancellationToken);
        }
        if (result.IsSuccess) return 0;
        await Console.Error.WriteLineAsync($"invoke {name}: {result.Status}: {result.ErrorType}: {result.ErrorMessage}");
        return 1;
    }

    /// <summary>
    /// What Terraform gives the function (table/bucket/stream names resolved to their local names, SSM prefix,
    /// metrics namespace), with the caller's AWS_* variables (credentials, region, AWS_ENDPOINT_URL_* exported by
    /// the local cloud) taking precedence so the function talks to whatever the shell points at.
    /// </summary>
    internal static Dictionary<string, string> EnvironmentFor(TopologyDocument topology, FunctionSpec spec)
    {
        var env = FunctionEnvironment.Resolve(topology, spec);
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            var key = (string)e.Key;
            if (key.StartsWith("AWS_", StringComparison.Ordinal) && !key.StartsWith("AWS_LAMBDA_", StringComparison.Ordinal) && e.Value is string v)
                env[key] = v;
        }
        return env;
    }

    internal static LaunchPreference ParsePreference(string? value) => value switch
    {
        null or "auto" => LaunchPreference.Auto,
        "bootstrap" => LaunchPreference.Bootstrap,
        "dll" => LaunchPreference.Dll,
        _ => throw new CliUsageException($"--build expects auto, bootstrap or dll, got '{value}'"),
    };

    private static async Task<byte[]> ReadEventAsync(string source, CancellationToken cancellationToken)
    {
        if (source == "-")
        {
            await using var stdin = Console.OpenStandardInput();
            using var buffer = new MemoryStream();
            await stdin.CopyToAsync(buffer, cancellationToken);
            return buffer.ToArray();
        }
        return File.Exists(source)
            ? await File.ReadAllBytesAsync(source, cancellationToken)
            : throw new CliUsageException($"event file '{source}' does not exist");
    }

    private void PrintHelp(TopologyDocument topology)
    {
        Console.WriteLine($"usage: ./scripts/pipeline {Name} {Summary}");
        Console.WriteLine();
        Console.WriteLine("  --event <file|->   the event JSON (a file, or - for stdin)");
        Console.WriteLine("  --timeout <s>      invocation timeout (default: the function's timeout_s in topology/topology.json)");
        Console.WriteLine("  --build <mode>     auto (published artifacts/publish/<fn>/bootstrap when fresh, else the built dll),");
        Console.WriteLine("                     bootstrap (run scripts/package.sh first) or dll");
        Console.WriteLine("  --quiet            do not echo the function's log lines to stderr");
        Console.WriteLine();
        Console.WriteLine("Prints the response JSON on stdout; on a function error prints the error JSON and exits 1.");
        Console.WriteLine("The function gets its topology environment plus your AWS_* variables (source the local cloud's exports first).");
        Console.WriteLine();
        Console.WriteLine("functions:");
        foreach (var f in topology.Functions.OrderBy(f => f.Name, StringComparer.Ordinal))
            Console.WriteLine($"  {f.Name,-28} {f.Source.Type,-9} pipeline {f.Pipeline}, {f.MemoryMb} MB, {f.TimeoutS} s");
    }
}

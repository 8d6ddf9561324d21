namespace Pipelines.Cli;

/// <summary>Parsed command line: positional words, <c>--name value</c> options and <c>--flag</c> switches.</summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Positional { get; }

    private CliArgs(List<string> positional, Dictionary<string, string?> options)
    {
        Positional = positional;
        _options = options;
    }

    public static CliArgs Parse(IReadOnlyList<string> args)
    {
        var positional = new List<string>();
        var options = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            if (a.StartsWith("--", StringComparison.Ordinal) && a.Length > 2)
            {
                var eq = a.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0) { options[a[2..eq]] = a[(eq + 1)..]; continue; }
                var name = a[2..];
                // A following word that is not itself an option (a lone "-" means stdin) is this option's value.
                if (i + 1 < args.Count && (!args[i + 1].StartsWith("--", StringComparison.Ordinal) || args[i + 1] == "-"))
                    options[name] = args[++i];
                else
                    options[name] = null;
            }
            else positional.Add(a);
        }
        return new CliArgs(positional, options);
    }

    public bool Has(string name) => _options.ContainsKey(name);

    public string? Get(string name) => _options.TryGetValue(name, out var v) ? v : null;

    public string Require(string name) =>
        Get(name) ?? throw new CliUsageException($"missing required option --{name}");

    public int GetInt(string name, int fallback) => GetParsed(name, fallback, int.TryParse);

    public double GetDouble(string name, double fallback) => GetParsed(name, fallback, double.TryParse);

    private delegate bool TryParse<T>(string s, System.Globalization.NumberStyles style, IFormatProvider provider, out T value);

    private T GetParsed<T>(string name, T fallback, TryParse<T> parse)
    {
        var raw = Get(name);
        if (raw is null) return fallback;
        return parse(raw, System.Globalization.NumberStyles.Float | System.Globalization.NumberStyles.AllowThousands,
            System.Globalization.CultureInfo.InvariantCulture, out var v)
            ? v
            : throw new CliUsageException($"--{name} expects a number, got '{raw}'");
    }
}

public sealed class CliUsageException(string message) : Exception(message);

using System.Globalization;
using Pipelines.Shared.Aws;
using Pipelines.Shared.Observability;

namespace Pipelines.Shared.Configuration;

/// <summary>
/// Operational knobs (batch sizes, thresholds) read from SSM Parameter Store under <c>SSM_PARAMETER_PREFIX</c>: one
/// String parameter per key, named <c>&lt;prefix&gt;&lt;key&gt;</c>. Loaded once at init (a failure fails init), cached for
/// the life of the container and reloaded by <see cref="RefreshIfStaleAsync"/> once the TTL has passed. Getters never do
/// I/O; a key that is not in SSM yields the caller's default.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Reliability", "CA1001", Justification = "The SemaphoreSlim never allocates a wait handle (no AvailableWaitHandle use) and lives as long as the container.")]
public sealed class Tunables
{
    public const string PrefixVariable = "SSM_PARAMETER_PREFIX";
    public const string TtlVariable = "TUNABLES_TTL_SECONDS";

    public static readonly TimeSpan DefaultTtl = TimeSpan.FromMinutes(5);

    // After a failed background refresh, wait this long (at most the TTL) before asking SSM again.
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(30);

    private static int defaultsLogged;

    private readonly SsmClient? client;
    private readonly TimeProvider clock;
    private readonly SemaphoreSlim refreshGate = new(1, 1);
    private volatile Snapshot snapshot;

    private Tunables(string? prefix, SsmClient? client, TimeSpan ttl, TimeProvider clock, Snapshot initial)
    {
        Prefix = prefix;
        this.client = client;
        Ttl = ttl;
        this.clock = clock;
        snapshot = initial;
    }

    /// <summary>The SSM path searched (normalised to end with '/'), or null when running on defaults.</summary>
    public string? Prefix { get; }

    public TimeSpan Ttl { get; }

    /// <summary>True when values come from SSM; false when every getter returns its default.</summary>
    public bool UsesSsm => client is not null;

    /// <summary>When the current values were read from SSM.</summary>
    public DateTimeOffset LoadedAt => snapshot.LoadedAt;

    /// <summary>Current values by key (the parameter name without the prefix).</summary>
    public IReadOnlyDictionary<string, string> Values => snapshot.Values;

    public bool IsStale => UsesSsm && clock.GetUtcNow() >= snapshot.NextRefreshAt;

    /// <summary>
    /// Loads from the prefix in <c>SSM_PARAMETER_PREFIX</c> with a client from the standard AWS variables and the TTL
    /// from <c>TUNABLES_TTL_SECONDS</c> (default 300). Without a prefix every getter returns its default (logged once).
    /// </summary>
    public static Task<Tunables> LoadAsync(CancellationToken cancellationToken = default)
    {
        var ttlSeconds = EnvironmentSettings.OptionalInt(TtlVariable, (int)DefaultTtl.TotalSeconds);
        var options = new TunablesOptions
        {
            Prefix = EnvironmentSettings.Optional(PrefixVariable),
            Ttl = TimeSpan.FromSeconds(Math.Max(0, ttlSeconds)),
        };
        return LoadAsync(options, cancellationToken);
    }

    /// <summary>Loads once; throws <see cref="ConfigurationException"/> naming the prefix when SSM cannot be read.</summary>
    public static async Task<Tunables> LoadAsync(TunablesOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Prefix))
        {
            if (Interlocked.Exchange(ref defaultsLogged, 1) == 0)
            {
                Log.Info("SSM_PARAMETER_PREFIX is not set: tunables use their built-in defaults");
            }

            return new Tunables(null, null, options.Ttl, options.Clock, new Snapshot(new Dictionary<string, string>(), options.Clock.GetUtcNow(), DateTimeOffset.MaxValue));
        }

        var prefix = NormalisePrefix(options.Prefix);
        var client = options.Client ?? SsmClient.FromEnvironment();
        Snapshot initial;
        try
        {
            initial = await ReadAsync(client, prefix, options.Ttl, options.Clock, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new ConfigurationException(
                PrefixVariable,
                $"Could not load tunables from SSM Parameter Store under '{prefix}' ({PrefixVariable}): {ex.Message}",
                ex);
        }

        Log.Info("Loaded tunables from SSM", new LogField("prefix", prefix), new LogField("count", initial.Values.Count));
        return new Tunables(prefix, client, options.Ttl, options.Clock, initial);
    }

    /// <summary>Fixed values with no SSM behind them (tests, benchmarks, the local CLI).</summary>
    public static Tunables FromValues(IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var copy = new Dictionary<string, string>(values, StringComparer.Ordinal);
        return new Tunables(null, null, DefaultTtl, TimeProvider.System, new Snapshot(copy, DateTimeOffset.UtcNow, DateTimeOffset.MaxValue));
    }

    /// <summary>
    /// Reloads from SSM when the TTL has passed (call at the start of an invocation). A failed reload keeps the last
    /// values, logs a warning and is tried again a little later; it never fails the invocation.
    /// </summary>
    public async Task RefreshIfStaleAsync(CancellationToken cancellationToken = default)
    {
        if (!IsStale)
        {
            return;
        }

        await refreshGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Another caller may have refreshed while this one waited.
            if (!IsStale || client is null || Prefix is null)
            {
                return;
            }

            try
            {
                snapshot = await ReadAsync(client, Prefix, Ttl, clock, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                var current = snapshot;
                var retryAt = clock.GetUtcNow() + (RetryAfterFailure < Ttl ? RetryAfterFailure : Ttl);
                snapshot = current with { NextRefreshAt = retryAt };
                Log.Warn(
                    "Could not refresh tunables from SSM; keeping the previous values",
                    new LogField("prefix", Prefix),
                    new LogField("error", ex.Message),
                    new LogField("valuesAgeSeconds", (clock.GetUtcNow() - current.LoadedAt).TotalSeconds));
            }
        }
        finally
        {
            refreshGate.Release();
        }
    }

    public string GetString(string key, string defaultValue) => Values.TryGetValue(key, out var value) ? value : defaultValue;

    public int GetInt(string key, int defaultValue) =>
        Values.TryGetValue(key, out var value) ? Parse(key, value, "an integer", static (string v, out int r) =>
            int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out r)) : defaultValue;

    public long GetLong(string key, long defaultValue) =>
        Values.TryGetValue(key, out var value) ? Parse(key, value, "an integer", static (string v, out long r) =>
            long.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out r)) : defaultValue;

    public double GetDouble(string key, double defaultValue) =>
        Values.TryGetValue(key, out var value) ? Parse(key, value, "a number", static (string v, out double r) =>
            double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out r) && double.IsFinite(r)) : defaultValue;

    public bool GetBool(string key, bool defaultValue) =>
        Values.TryGetValue(key, out var value) ? Parse(key, value, "true or false", static (string v, out bool r) =>
            bool.TryParse(v, out r)) : defaultValue;

    private delegate bool TryParser<T>(string value, out T result);

    // A tunable that is set but malformed is an operator error worth failing loudly on, not silently defaulting.
    private T Parse<T>(string key, string value, string expected, TryParser<T> parser) =>
        parser(value.Trim(), out var result)
            ? result
            : throw new ConfigurationException(key, $"Tunable '{key}' (SSM parameter '{Prefix}{key}') must be {expected} but is '{value}'.");

    private static async Task<Snapshot> ReadAsync(
        SsmClient client, string prefix, TimeSpan ttl, TimeProvider clock, CancellationToken cancellationToken)
    {
        // The API wants the path without its trailing slash (except for the root).
        var path = prefix.Length > 1 ? prefix.TrimEnd('/') : prefix;
        var parameters = await client.GetParametersByPathAsync(path, recursive: true, withDecryption: true, cancellationToken)
            .ConfigureAwait(false);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var parameter in parameters)
        {
            var key = parameter.Name.StartsWith(prefix, StringComparison.Ordinal) ? parameter.Name[prefix.Length..] : parameter.Name;
            values[key] = parameter.Value;
        }

        var now = clock.GetUtcNow();
        return new Snapshot(values, now, now + ttl);
    }

    private static string NormalisePrefix(string prefix)
    {
        var trimmed = prefix.Trim();
        if (!trimmed.StartsWith('/'))
        {
            trimmed = "/" + trimmed;
        }

        return trimmed.EndsWith('/') ? trimmed : trimmed + "/";
    }

    private sealed record Snapshot(IReadOnlyDictionary<string, string> Values, DateTimeOffset LoadedAt, DateTimeOffset NextRefreshAt);
}

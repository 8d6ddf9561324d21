using Pipelines.Shared.Aws;

namespace Pipelines.Shared.Configuration;

/// <summary>Where <see cref="Tunables"/> come from and how long they are trusted.</summary>
public sealed record TunablesOptions
{
    /// <summary>The SSM path holding the tunables, e.g. <c>/pipelines/dev/event-archiver/</c>; null = defaults only.</summary>
    public string? Prefix { get; init; }

    /// <summary>The client to read with; null means one configured from the environment (only created when a prefix is set).</summary>
    public SsmClient? Client { get; init; }

    /// <summary>How long loaded values are served before <see cref="Tunables.RefreshIfStaleAsync"/> reloads them.</summary>
    public TimeSpan Ttl { get; init; } = Tunables.DefaultTtl;

    public TimeProvider Clock { get; init; } = TimeProvider.System;
}

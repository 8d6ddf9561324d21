namespace Pipelines.LocalCloud.Ssm;

/// <summary>One SSM parameter as the local endpoint keeps it.</summary>
public sealed record SsmParameter(string Name, string Type, string Value, long Version, DateTimeOffset LastModified);

/// <summary>In-memory SSM Parameter Store: what GetParametersByPath needs, with AWS's path rules.</summary>
public sealed class ParameterStore
{
    private readonly SortedDictionary<string, SsmParameter> _parameters = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Creates or (with overwrite) replaces a parameter; returns its new version.</summary>
    public long Put(string name, string value, string type = "String", bool overwrite = true)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("a parameter name is required", nameof(name));
        lock (_gate)
        {
            if (_parameters.TryGetValue(name, out var existing))
            {
                if (!overwrite) throw new ParameterAlreadyExistsException(name);
                var next = existing with { Value = value, Type = type, Version = existing.Version + 1, LastModified = DateTimeOffset.UtcNow };
                _parameters[name] = next;
                return next.Version;
            }
            _parameters[name] = new SsmParameter(name, type, value, 1, DateTimeOffset.UtcNow);
            return 1;
        }
    }

    public SsmParameter? Get(string name)
    {
        lock (_gate) return _parameters.GetValueOrDefault(name);
    }

    public bool Delete(string name)
    {
        lock (_gate) return _parameters.Remove(name);
    }

    /// <summary>
    /// Parameters under <paramref name="path"/>: one level below it, or every level when recursive (AWS's rule).
    /// A trailing slash on the path is accepted, as AWS does.
    /// </summary>
    public IReadOnlyList<SsmParameter> GetByPath(string path, bool recursive)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '/') throw new ArgumentException("a path starts with '/'", nameof(path));
        var prefix = path.EndsWith('/') ? path : path + "/";
        lock (_gate)
        {
            return _parameters.Values
                .Where(p => p.Name.StartsWith(prefix, StringComparison.Ordinal))
                .Where(p => recursive || !p.Name.AsSpan(prefix.Length).Contains('/'))
                .ToList();
        }
    }
}

public sealed class ParameterAlreadyExistsException(string name) : Exception($"The parameter {name} already exists.");

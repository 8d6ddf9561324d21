using System.Text;

namespace Pipelines.Events.Domain;

/// <summary>
/// An event_name split at its first ':' into type and subtype, with both strings shared between the records that
/// carry the same name: a stream has a small vocabulary of names, so a batch would otherwise make the same three
/// strings once per record. The cache is per thread (parsing runs on one) and bounded, so a producer sending
/// ever-new names costs only the strings, as before.
/// </summary>
internal static class EventNames
{
    private const int MaxCachedNames = 1024;
    private const int MaxCachedNameBytes = 256;

    [ThreadStatic] private static Dictionary<string, EventName>? t_names;

    /// <summary>The split of a name given as unescaped UTF-8 text; <paramref name="name"/> is read, not kept.</summary>
    public static EventName Split(ReadOnlySpan<byte> name)
    {
        if (name.Length > MaxCachedNameBytes) return Split(Encoding.UTF8.GetString(name));
        Span<char> chars = stackalloc char[MaxCachedNameBytes];
        var length = Encoding.UTF8.GetChars(name, chars);
        var names = t_names ??= new Dictionary<string, EventName>(StringComparer.Ordinal);
        var lookup = names.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(chars[..length], out var known)) return known;
        var split = Split(new string(chars[..length]));
        if (names.Count < MaxCachedNames) names[split.Name] = split;
        return split;
    }

    public static EventName Split(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var colon = name.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? new EventName(name, null, null) : new EventName(name, name[..colon], name[(colon + 1)..]);
    }
}

/// <param name="Type">Before the first ':'; null when the name has no ':'.</param>
/// <param name="Subtype">After the first ':' (it may hold more colons); null when the name has no ':'.</param>
internal sealed record EventName(string Name, string? Type, string? Subtype);

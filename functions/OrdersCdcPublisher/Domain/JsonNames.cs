using System.Text;

namespace Pipelines.Orders.Cdc.Domain;

/// <summary>Member names as the object-model reader matches them: exactly first, then ignoring case.</summary>
internal static class JsonNames
{
    /// <summary>
    /// True when an unknown member name could still be bound to one of <paramref name="known"/> by a case-insensitive
    /// reader: it equals one ignoring ASCII case, or it is not plain ASCII (non-ASCII letters can fold to ASCII ones).
    /// </summary>
    public static bool MightMatch(ReadOnlySpan<byte> name, ReadOnlySpan<string> known)
    {
        if (!Ascii.IsValid(name)) return true;
        foreach (var candidate in known)
        {
            if (Ascii.EqualsIgnoreCase(name, candidate)) return true;
        }
        return false;
    }
}

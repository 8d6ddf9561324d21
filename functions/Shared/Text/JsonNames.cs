using System.Text.Json;

namespace Pipelines.Shared.Text;

/// <summary>Member-name matching for hand-written <see cref="Utf8JsonReader"/> loops, as lenient as the event contracts.</summary>
public static class JsonNames
{
    /// <summary>
    /// True when the current property name is <paramref name="asciiName"/>, ignoring ASCII case (the contracts read
    /// names case-insensitively). Escaped names are unescaped first.
    /// </summary>
    public static bool Is(ref Utf8JsonReader reader, ReadOnlySpan<byte> asciiName)
    {
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
            return EqualsIgnoreAsciiCase(reader.ValueSpan, asciiName);
        Span<byte> buffer = stackalloc byte[128];
        if (reader.HasValueSequence ? reader.ValueSequence.Length > buffer.Length : reader.ValueSpan.Length > buffer.Length) return false;
        var length = reader.CopyString(buffer);
        return EqualsIgnoreAsciiCase(buffer[..length], asciiName);
    }

    private static bool EqualsIgnoreAsciiCase(ReadOnlySpan<byte> value, ReadOnlySpan<byte> asciiName)
    {
        if (value.Length != asciiName.Length) return false;
        if (value.SequenceEqual(asciiName)) return true;
        return System.Text.Ascii.EqualsIgnoreCase(value, asciiName);
    }
}

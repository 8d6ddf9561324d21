using System.Text.Json;

namespace Pipelines.Events.Domain;

/// <summary>What <see cref="EventLineTranscoder"/> found at the top level of a payload.</summary>
internal struct EventTopLevel
{
    /// <summary>The root value's first token (StartObject for an object).</summary>
    public JsonTokenType Root;

    public TopLevelMember Uuid;

    public TopLevelMember Name;

    public TopLevelMember CreatedAt;

    /// <summary>The first repeated member name, as JsonDocument would report it; null when there is none.</summary>
    public string? Repeated;

    /// <summary>A string holds an unpaired surrogate escape, so the line could not be written.</summary>
    public bool LineUnwritable;

    /// <summary>A member name holds an unpaired surrogate escape, so names could not all be compared.</summary>
    public bool UnreadableName;

    /// <summary>Where the root value starts, and (for an object) ends, in the payload.</summary>
    public int RootStart;

    public int RootEnd;

    /// <summary>The root object is written as the writer would write it and has no derived members.</summary>
    public bool Canonical;

    /// <summary>The root object or array was closed.</summary>
    public bool RootClosed;

    /// <summary>The payload ends before its root object or array is closed.</summary>
    public bool Truncated;
}

/// <summary>A top-level member's value: its token and where its text is in the payload.</summary>
internal struct TopLevelMember
{
    /// <summary>None when the member is absent.</summary>
    public JsonTokenType Type;

    /// <summary>Payload offset of the text (inside the quotes for a string).</summary>
    public int Start;

    public int Length;

    public bool Escaped;

    /// <summary>The unescaped text of an escaped string.</summary>
    public string? Text;

    /// <summary>An escaped string with an unpaired surrogate.</summary>
    public bool Unreadable;

    public bool HasDecimal;

    public decimal Decimal;
}

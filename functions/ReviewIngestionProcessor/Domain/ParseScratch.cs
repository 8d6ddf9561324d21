using System.Text.Json;

namespace Pipelines.Reviews.Domain;

/// <summary>
/// The working memory of one review parse, kept per thread and cleared for each record so parsing a batch does
/// not allocate per record: the item being written, unescaping buffers, the names seen per object, and what was
/// seen of each known field.
/// </summary>
internal sealed class ParseScratch
{
    // A record with a huge escaped text should not pin its buffer to the thread for good.
    private const int RetainedBytes = 64 * 1024;

    [ThreadStatic] private static ParseScratch? t_scratch;

    private byte[] _name = new byte[256];
    private byte[] _value = new byte[1024];

    public FieldNames Names { get; } = new();

    /// <summary>Where the item is written before it is copied to its batch's arena.</summary>
    public ItemJsonWriter Item { get; private set; } = new();

    public FieldFact[] Facts { get; } = new FieldFact[ReviewFields.Known.Length];

    /// <summary>This thread's scratch, cleared.</summary>
    public static ParseScratch Start()
    {
        var scratch = t_scratch ??= new ParseScratch();
        scratch.Names.Clear();
        Array.Clear(scratch.Facts);
        if (scratch._value.Length > RetainedBytes) scratch._value = new byte[1024];
        if (scratch._name.Length > RetainedBytes) scratch._name = new byte[256];
        if (scratch.Item.Capacity > RetainedBytes) scratch.Item = new ItemJsonWriter();
        scratch.Item.Reset();
        return scratch;
    }

    /// <summary>
    /// The current name or string token as UTF-8 without JSON escapes: the payload's own bytes when it has none,
    /// else a copy valid until the next token of the same kind (name or value) is read. False when an escape
    /// decodes to an unpaired surrogate, which is not Unicode text and which DynamoDB cannot store.
    /// </summary>
    public bool TryGetText(ref Utf8JsonReader reader, out ReadOnlySpan<byte> text)
    {
        if (!reader.ValueIsEscaped)
        {
            text = reader.ValueSpan;
            return true;
        }
        ref var buffer = ref reader.TokenType == JsonTokenType.PropertyName ? ref _name : ref _value;
        // Unescaping never lengthens UTF-8 text.
        if (buffer.Length < reader.ValueSpan.Length) buffer = new byte[Math.Max(reader.ValueSpan.Length, buffer.Length * 2)];
        try
        {
            text = buffer.AsSpan(0, reader.CopyString(buffer));
            return true;
        }
        catch (InvalidOperationException)
        {
            text = default;
            return false;
        }
    }
}

/// <summary>What a review carried in one contract field, kept for the checks that run once the whole review is read.</summary>
internal struct FieldFact
{
    /// <summary>The value's first token; <see cref="JsonTokenType.None"/> when the field is absent.</summary>
    public JsonTokenType Kind;

    /// <summary>A string of nothing but whitespace (or nothing).</summary>
    public bool Blank;

    /// <summary>The string's length in UTF-8 bytes.</summary>
    public int Utf8Length;

    /// <summary>A string that is an ISO 8601 date-time with an offset or Z.</summary>
    public bool IsDate;

    /// <summary>A number that is a plain integer, and its value.</summary>
    public bool IsInteger;

    public long Integer;

    /// <summary>The value's text where it is needed: the review id, a date that is not one, a number that is not an integer.</summary>
    public string? Text;

    /// <summary>Present and not null.</summary>
    public readonly bool IsGiven => Kind is not (JsonTokenType.None or JsonTokenType.Null);
}

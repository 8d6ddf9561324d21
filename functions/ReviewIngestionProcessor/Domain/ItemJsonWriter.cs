using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;

namespace Pipelines.Reviews.Domain;

/// <summary>
/// Writes an item's DynamoDB JSON (<c>{"name":{"S":".."},"n":{"N":"4"},"l":{"L":[..]},"m":{"M":{..}},..}</c>) from tokens
/// Utf8JsonReader has already validated: names, strings and numbers are copied as they sit in the payload, escapes and
/// all (a valid JSON escape stays valid, and DynamoDB decodes it to the same text), so nothing is decoded and escaped
/// again as Utf8JsonWriter would. Only text from elsewhere (<see cref="Text(string)"/>) is escaped here.
/// </summary>
internal sealed class ItemJsonWriter
{
    // A review nests at most 32 lists or maps inside the item; one bit per open container says "has a member".
    private const int MaxDepth = 64;

    // Printable ASCII that JSON strings carry as it is (no quote, no backslash).
    private static readonly SearchValues<char> PlainAscii =
        SearchValues.Create(" !#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    private byte[] _buffer = new byte[4096];
    private int _length;
    private ulong _hasMember;
    private int _depth;

    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _length);

    public int Capacity => _buffer.Length;

    public void Reset()
    {
        _length = 0;
        _hasMember = 0;
        _depth = 0;
    }

    public void StartItem()
    {
        Append((byte)'{');
        Open();
    }

    public void EndItem()
    {
        Close();
        Append((byte)'}');
    }

    /// <summary>A member name as it sits in the payload: the text between the quotes, escapes kept.</summary>
    public void Name(ReadOnlySpan<byte> rawName)
    {
        Separate();
        Append((byte)'"');
        Append(rawName);
        Append("\":"u8);
    }

    /// <summary>Before each element of a list.</summary>
    public void Element() => Separate();

    /// <summary>A string value as it sits in the payload: the text between the quotes, escapes kept.</summary>
    public void RawString(ReadOnlySpan<byte> rawText)
    {
        Append("{\"S\":\""u8);
        Append(rawText);
        Append("\"}"u8);
    }

    /// <summary>A string value from outside the payload (sequence numbers, shard ids), escaped as JSON needs.</summary>
    public void Text(string text)
    {
        Append("{\"S\":\""u8);
        if (!text.AsSpan().ContainsAnyExcept(PlainAscii))
        {
            // The usual case, digits and dashes: one byte per character, nothing to escape.
            Reserve(text.Length);
            _length += Encoding.ASCII.GetBytes(text, _buffer.AsSpan(_length));
            Append("\"}"u8);
            return;
        }
        var utf8 = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        var length = Encoding.UTF8.GetBytes(text, utf8);
        // Escaping at most sextuples the text (\uXXXX per byte).
        Reserve(length * 6);
        JavaScriptEncoder.UnsafeRelaxedJsonEscaping.EncodeUtf8(utf8.AsSpan(0, length), _buffer.AsSpan(_length), out _, out var written);
        _length += written;
        ArrayPool<byte>.Shared.Return(utf8);
        Append("\"}"u8);
    }

    /// <summary>A number value: DynamoDB JSON carries its decimal text as a string.</summary>
    public void Number(ReadOnlySpan<byte> numberText)
    {
        Append("{\"N\":\""u8);
        Append(numberText);
        Append("\"}"u8);
    }

    public void Boolean(bool value) => Append(value ? "{\"BOOL\":true}"u8 : "{\"BOOL\":false}"u8);

    public void Null() => Append("{\"NULL\":true}"u8);

    public void StartList()
    {
        Append("{\"L\":["u8);
        Open();
    }

    public void EndList()
    {
        Close();
        Append("]}"u8);
    }

    public void StartMap()
    {
        Append("{\"M\":{"u8);
        Open();
    }

    public void EndMap()
    {
        Close();
        Append("}}"u8);
    }

    private void Open()
    {
        if (++_depth >= MaxDepth) throw new InvalidOperationException($"An item nests deeper than {MaxDepth} levels.");
        _hasMember &= ~(1UL << _depth);
    }

    private void Close() => _depth--;

    private void Separate()
    {
        var bit = 1UL << _depth;
        if ((_hasMember & bit) != 0) Append((byte)',');
        _hasMember |= bit;
    }

    private void Append(byte value)
    {
        Reserve(1);
        _buffer[_length++] = value;
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        Reserve(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void Reserve(int bytes)
    {
        if (_buffer.Length - _length >= bytes) return;
        Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + bytes));
    }
}

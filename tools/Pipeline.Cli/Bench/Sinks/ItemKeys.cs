using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;

namespace Pipelines.Cli.Bench.Sinks;

/// <summary>
/// An item's primary key as the bytes a <see cref="StoredTable"/> files it under: the hash key's S or N value as UTF-8
/// (unescaped), then for a composite key a 0 byte and the range key's. A key attribute that is missing, empty or of
/// another type is DynamoDB's ValidationException. Reuses its buffers: one instance per lock holder, and the span it
/// returns is valid until its next call.
/// </summary>
internal sealed class ItemKeys
{
    private byte[] _hash = new byte[256];
    private byte[] _range = new byte[256];
    private byte[] _key = new byte[512];

    /// <summary>The key of a DynamoDB JSON item (or of a DynamoDB JSON key, which is an item of only its key attributes).</summary>
    public ReadOnlySpan<byte> Of(StoredTable table, ReadOnlySpan<byte> item)
    {
        var reader = new Utf8JsonReader(item);
        reader.Read();
        int hash = 0, range = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals(table.HashKeyUtf8)) hash = Scalar(ref reader, ref _hash);
            else if (table.RangeKeyUtf8 is { } rangeKey && reader.ValueTextEquals(rangeKey)) range = Scalar(ref reader, ref _range);
            else reader.Skip();
        }
        return Compose(table, hash, range);
    }

    /// <summary>The key of an SDK item.</summary>
    public ReadOnlySpan<byte> Of(StoredTable table, Dictionary<string, AttributeValue> item)
    {
        var hash = Scalar(item, table.HashKey, ref _hash);
        var range = table.RangeKey is { } rangeKey ? Scalar(item, rangeKey, ref _range) : 0;
        return Compose(table, hash, range);
    }

    private ReadOnlySpan<byte> Compose(StoredTable table, int hash, int range)
    {
        if (hash == 0) throw DynamoErrors.MissingKey(table.Name, table.HashKey);
        if (table.RangeKey is null) return _hash.AsSpan(0, hash);
        if (range == 0) throw DynamoErrors.MissingKey(table.Name, table.RangeKey);
        var length = hash + 1 + range;
        if (_key.Length < length) _key = new byte[length * 2];
        _hash.AsSpan(0, hash).CopyTo(_key);
        _key[hash] = 0;
        _range.AsSpan(0, range).CopyTo(_key.AsSpan(hash + 1));
        return _key.AsSpan(0, length);
    }

    /// <summary>On a key attribute's name: its <c>{"S":..}</c> or <c>{"N":..}</c> text into <paramref name="buffer"/>; 0 for any other value.</summary>
    private static int Scalar(ref Utf8JsonReader reader, ref byte[] buffer)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return 0;
        }
        var length = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var scalar = reader.ValueTextEquals("S"u8) || reader.ValueTextEquals("N"u8);
            reader.Read();
            if (scalar && reader.TokenType == JsonTokenType.String)
            {
                if (buffer.Length < reader.ValueSpan.Length) buffer = new byte[reader.ValueSpan.Length * 2];
                length = reader.CopyString(buffer);
            }
            else
            {
                reader.Skip();
            }
        }
        return length;
    }

    private static int Scalar(Dictionary<string, AttributeValue> item, string attribute, ref byte[] buffer)
    {
        if (!item.TryGetValue(attribute, out var value) || (value.S ?? value.N) is not { Length: > 0 } text) return 0;
        var max = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (buffer.Length < max) buffer = new byte[max];
        return Encoding.UTF8.GetBytes(text, buffer);
    }
}

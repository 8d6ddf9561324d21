using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Pipelines.Catalog.Domain;

/// <summary>
/// An accommodation id's first 16 characters as 16 big-endian bytes in two integers, such that a smaller head means a
/// smaller id in ordinal order: ASCII characters as themselves, the end of the id as 0 (a prefix sorts first), and the
/// first non-ASCII character as 0x80 followed by zeros (it sorts after every ASCII character). Ids whose heads are equal
/// (long common prefixes, non-ASCII at the same place, NUL characters) must be compared in full, unless both are
/// <see cref="Exact"/>: an ASCII id of at most 16 characters is fully given by its head and its length.
/// </summary>
internal readonly record struct IdHead(ulong High, ulong Low, bool Exact)
{
    private const int Width = 16;

    public static IdHead Of(ReadOnlySpan<char> id)
    {
        if (Vector128.IsHardwareAccelerated)
        {
            // The usual id is short ASCII: pad it to 16 characters with zeros (the end marker) and narrow in one step.
            Span<char> padded = stackalloc char[Width];
            padded.Clear();
            id[..Math.Min(id.Length, Width)].CopyTo(padded);
            var chars = MemoryMarshal.Cast<char, ushort>(padded);
            var first = Vector128.Create(chars[..8]);
            var second = Vector128.Create(chars[8..]);
            if (((first | second) & Vector128.Create((ushort)0xFF80)) == Vector128<ushort>.Zero)
            {
                var bytes = Vector128.Narrow(first, second).AsUInt64();
                return new IdHead(
                    BinaryPrimitives.ReverseEndianness(bytes.GetElement(0)),
                    BinaryPrimitives.ReverseEndianness(bytes.GetElement(1)),
                    id.Length <= Width);
            }
        }
        return OfScalar(id);
    }

    /// <summary>The same head, one character at a time (ids with non-ASCII characters in their head).</summary>
    internal static IdHead OfScalar(ReadOnlySpan<char> id)
    {
        ulong high = 0, low = 0;
        var n = Math.Min(id.Length, Width);
        for (var i = 0; i < n; i++)
        {
            var c = id[i];
            var b = c < 0x80 ? (ulong)c : 0x80;
            if (i < 8) high |= b << (56 - (8 * i));
            else low |= b << (56 - (8 * (i - 8)));
            if (c >= 0x80) return new IdHead(high, low, Exact: false);
        }
        return new IdHead(high, low, id.Length <= Width);
    }
}

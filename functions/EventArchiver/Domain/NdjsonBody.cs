using System.Buffers;

namespace Pipelines.Events.Domain;

/// <summary>Newline-delimited JSON: one archived line per record, each ended by '\n'.</summary>
internal static class NdjsonBody
{
    /// <summary>
    /// The object's bytes in a buffer rented from the shared pool: <c>[0, length)</c> is the body. An object is
    /// needed only until its PUT completes, so the caller returns the buffer (<see cref="Return"/>) instead of leaving
    /// a fresh array per object to the collector.
    /// </summary>
    public static byte[] Rent(IReadOnlyList<ReadOnlyMemory<byte>> lines, out int length)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var size = 0;
        foreach (var line in lines) size += line.Length + 1;
        var body = ArrayPool<byte>.Shared.Rent(Math.Max(1, size));
        var at = 0;
        foreach (var line in lines)
        {
            line.Span.CopyTo(body.AsSpan(at));
            at += line.Length;
            body[at++] = (byte)'\n';
        }
        length = size;
        return body;
    }

    public static void Return(byte[] body) => ArrayPool<byte>.Shared.Return(body);
}

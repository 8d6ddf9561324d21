namespace Pipelines.Events.Domain;

/// <summary>Newline-delimited JSON: one archived line per record, each ended by '\n'.</summary>
internal static class NdjsonBody
{
    public static byte[] Join(IReadOnlyList<ReadOnlyMemory<byte>> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var size = 0;
        foreach (var line in lines) size += line.Length + 1;
        var body = new byte[size];
        var at = 0;
        foreach (var line in lines)
        {
            line.Span.CopyTo(body.AsSpan(at));
            at += line.Length;
            body[at++] = (byte)'\n';
        }
        return body;
    }
}

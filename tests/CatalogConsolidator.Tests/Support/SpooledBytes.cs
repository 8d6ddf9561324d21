using Pipelines.Catalog.Domain;
using Pipelines.Catalog.Storage;

namespace Pipelines.Tests.CatalogConsolidator.Support;

/// <summary>Reads what an upload would send: the bytes of a spooled part (a segment of its spool file).</summary>
internal static class SpooledBytes
{
    public static byte[] Read(FileSegment segment)
    {
        using var stream = new FileSegmentStream(segment);
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    public static byte[] Read(SpooledFile file) => Read(file.Segment);

    /// <summary>The part's lines, as <see cref="File.ReadAllLines(string)"/> would give them for a file of its own.</summary>
    public static string[] Lines(SpooledFile file)
    {
        using var reader = new StreamReader(new MemoryStream(Read(file)));
        var lines = new List<string>();
        while (reader.ReadLine() is { } line) lines.Add(line);
        return [.. lines];
    }
}

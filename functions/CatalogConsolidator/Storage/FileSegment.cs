namespace Pipelines.Catalog.Storage;

/// <summary>
/// <paramref name="Length"/> bytes at <paramref name="Offset"/> in a local file: one object to upload. Several objects
/// share one spool file, because creating hundreds of small files per invocation cost more than writing them.
/// </summary>
internal readonly record struct FileSegment(string Path, long Offset, long Length);

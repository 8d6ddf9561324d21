namespace Pipelines.Catalog.Storage;

/// <summary>Where partner files are read from.</summary>
internal interface ICatalogObjectStore
{
    /// <summary>Opens the object for streaming, or returns null when it (or its bucket) no longer exists.</summary>
    Task<Stream?> OpenAsync(string bucket, string key, CancellationToken cancellationToken);
}

/// <summary>Where consolidated files and rejected lines are written (the output bucket).</summary>
internal interface ICatalogOutputStore
{
    /// <summary>PUTs the bytes of <paramref name="segment"/> as the object <paramref name="key"/>.</summary>
    Task PutFileAsync(string key, FileSegment segment, CancellationToken cancellationToken);

    Task DeleteAsync(string key, CancellationToken cancellationToken);
}

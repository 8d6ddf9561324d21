namespace Pipelines.Events.Archiving;

/// <summary>The archive bucket (S3 in production, a dictionary in tests).</summary>
internal interface IArchiveStore
{
    /// <summary>True when an object with this key exists (read-after-write consistent, as S3 is).</summary>
    Task<bool> ExistsAsync(string key, CancellationToken cancellationToken);

    /// <summary>Creates or replaces the object atomically. <paramref name="body"/> is only valid during the call (pooled).</summary>
    Task PutAsync(string key, ReadOnlyMemory<byte> body, CancellationToken cancellationToken);
}

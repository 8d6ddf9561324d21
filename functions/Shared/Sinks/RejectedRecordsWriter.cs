using System.Security.Cryptography;
using System.Text;
using Amazon.S3;
using Pipelines.Shared.Aws;

namespace Pipelines.Shared.Sinks;

/// <summary>
/// Stores rejected records as one JSON-lines object per batch under <c>s3://bucket/prefix/objectName</c>. Callers pass a
/// name derived from the batch (see <see cref="ObjectNameFor"/>) so a redelivered batch overwrites the same object
/// instead of adding a duplicate.
/// </summary>
public sealed class RejectedRecordsWriter
{
    private readonly S3ObjectWriter writer;

    public RejectedRecordsWriter(IAmazonS3 s3, string bucket, string prefix)
    {
        ArgumentNullException.ThrowIfNull(s3);
        ArgumentException.ThrowIfNullOrWhiteSpace(bucket);
        ArgumentNullException.ThrowIfNull(prefix);
        writer = new S3ObjectWriter(s3);
        Bucket = bucket;
        Prefix = prefix.Length == 0 || prefix.EndsWith('/') ? prefix : prefix + "/";
    }

    public string Bucket { get; }

    /// <summary>The key prefix, ending with '/' unless empty.</summary>
    public string Prefix { get; }

    /// <summary>Writes the records and returns the object key; writes nothing and returns null for an empty list.</summary>
    public async Task<string?> WriteAsync(string objectName, IReadOnlyList<RejectedRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(objectName);
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return null;
        }

        var key = Prefix + objectName.TrimStart('/');
        var body = RejectedRecordLines.Format(records);
        await writer.PutAsync(Bucket, key, body, RejectedRecordLines.ContentType, cancellationToken).ConfigureAwait(false);
        return key;
    }

    /// <summary>
    /// A stable name for a set of rejected records: the same source ids (in any order) give the same name,
    /// e.g. <c>3f9a…c1.jsonl</c> (first 32 hex characters of the SHA-256 of the sorted ids).
    /// </summary>
    public static string ObjectNameFor(IEnumerable<RejectedRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var ids = records.Select(r => r.SourceId).Order(StringComparer.Ordinal);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', ids)));
        return Convert.ToHexStringLower(hash)[..32] + ".jsonl";
    }
}

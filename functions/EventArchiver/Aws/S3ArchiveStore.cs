using System.Net;
using Amazon.S3;
using Pipelines.Events.Archiving;
using Pipelines.Shared.Aws;

namespace Pipelines.Events.Aws;

/// <summary>
/// The archive bucket. Existence checks need s3:ListBucket on the bucket: without it S3 answers 403 instead of 404
/// for a missing key, which this treats as an error (the record is retried), never as "exists".
/// </summary>
internal sealed class S3ArchiveStore : IArchiveStore
{
    private const string ContentType = "application/x-ndjson";

    private readonly IAmazonS3 _s3;
    private readonly S3ObjectWriter _writer;
    private readonly string _bucket;

    public S3ArchiveStore(IAmazonS3 s3, string bucket)
    {
        _s3 = s3 ?? throw new ArgumentNullException(nameof(s3));
        ArgumentException.ThrowIfNullOrWhiteSpace(bucket);
        _writer = new S3ObjectWriter(s3);
        _bucket = bucket;
    }

    public async Task<bool> ExistsAsync(string key, CancellationToken cancellationToken)
    {
        try
        {
            await _s3.GetObjectMetadataAsync(_bucket, key, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    public Task PutAsync(string key, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        _writer.PutAsync(_bucket, key, body, ContentType, cancellationToken);
}

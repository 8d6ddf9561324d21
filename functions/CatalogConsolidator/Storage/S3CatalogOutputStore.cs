using Amazon.S3;
using Amazon.S3.Model;
using Pipelines.Shared.Aws;

namespace Pipelines.Catalog.Storage;

/// <summary>Writes to the output bucket with single PUTs of the spooled /tmp file segments.</summary>
internal sealed class S3CatalogOutputStore(IAmazonS3 s3, string bucket) : ICatalogOutputStore
{
    public const string JsonLinesContentType = "application/x-ndjson";

    private readonly S3ObjectWriter _writer = new(s3);

    public string Bucket { get; } = bucket;

    public async Task PutFileAsync(string key, FileSegment segment, CancellationToken cancellationToken)
    {
        await using var body = new FileSegmentStream(segment);
        await _writer.PutAsync(Bucket, key, body, JsonLinesContentType, cancellationToken);
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken) =>
        s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = Bucket, Key = key }, cancellationToken);
}

using Amazon.S3;
using Amazon.S3.Model;

namespace Pipelines.LocalCloud.Firehose;

/// <summary>Writes one object (Firehose's S3 destination).</summary>
public interface IObjectWriter
{
    Task PutAsync(string bucket, string key, byte[] content, CancellationToken cancellationToken);
}

/// <summary>Writes through the AWS SDK to s3rver (chunked encoding off: s3rver stores chunk-signed bodies corrupted).</summary>
public sealed class S3DeliveryWriter(IAmazonS3 s3) : IObjectWriter
{
    public async Task PutAsync(string bucket, string key, byte[] content, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream(content, writable: false);
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = key,
            InputStream = body,
            UseChunkEncoding = false,
            ContentType = "application/octet-stream",
        }, cancellationToken);
    }
}

using Amazon.S3;
using Amazon.S3.Model;

namespace Pipelines.Shared.Aws;

/// <summary>
/// Writes S3 objects the one way every function should: a single PUT with a known length and no chunked (streaming
/// SigV4) encoding, which s3rver otherwise stores corrupted. Server-side encryption is left to the bucket default.
/// </summary>
public sealed class S3ObjectWriter
{
    private readonly IAmazonS3 s3;

    public S3ObjectWriter(IAmazonS3 s3)
    {
        ArgumentNullException.ThrowIfNull(s3);
        this.s3 = s3;
    }

    /// <summary>Applies the project's PUT settings to a request built elsewhere.</summary>
    public static PutObjectRequest Configure(PutObjectRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.UseChunkEncoding = false;
        return request;
    }

    /// <summary>PUTs <paramref name="content"/>; returns the object's ETag.</summary>
    public async Task<string?> PutAsync(
        string bucket, string key, ReadOnlyMemory<byte> content, string contentType, CancellationToken cancellationToken = default)
    {
        var buffer = System.Runtime.InteropServices.MemoryMarshal.TryGetArray(content, out var segment) && segment.Array is not null
            ? new MemoryStream(segment.Array, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(content.ToArray(), writable: false);
        await using (buffer.ConfigureAwait(false))
        {
            return await PutAsync(bucket, key, buffer, contentType, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>PUTs the whole of <paramref name="content"/> from its start (buffered first when it cannot seek); the caller keeps ownership.</summary>
    public async Task<string?> PutAsync(
        string bucket, string key, Stream content, string contentType, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(bucket);
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrWhiteSpace(contentType);
        if (!content.CanSeek)
        {
            // A single PUT needs the length up front.
            var buffered = new MemoryStream();
            await using (buffered.ConfigureAwait(false))
            {
                await content.CopyToAsync(buffered, cancellationToken).ConfigureAwait(false);
                buffered.Position = 0;
                return await SendAsync(bucket, key, buffered, contentType, cancellationToken).ConfigureAwait(false);
            }
        }

        return await SendAsync(bucket, key, content, contentType, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>PUTs a local file (e.g. a batch assembled under /tmp).</summary>
    public async Task<string?> PutFileAsync(
        string bucket, string key, string filePath, string contentType, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(filePath);
        var file = new FileStream(filePath, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (file.ConfigureAwait(false))
        {
            return await PutAsync(bucket, key, file, contentType, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<string?> SendAsync(string bucket, string key, Stream content, string contentType, CancellationToken cancellationToken)
    {
        var request = Configure(new PutObjectRequest
        {
            BucketName = bucket,
            Key = key,
            InputStream = content,
            ContentType = contentType,
            AutoCloseStream = false,
        });
        var response = await s3.PutObjectAsync(request, cancellationToken).ConfigureAwait(false);
        return response.ETag;
    }
}

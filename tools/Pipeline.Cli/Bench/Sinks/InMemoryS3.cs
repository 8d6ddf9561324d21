using System.Buffers;
using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Pipelines.Cli.Bench.Sinks;

/// <summary>
/// The real SDK S3 client with PUT, GET, HEAD and DELETE answered in memory. A PUT reads the whole body the function
/// built (as the SDK would when sending it) and keeps its size and line count; GETs stream registered source files
/// from disk, so a large input never sits in this process's memory. What a PUT leaves behind is one string (the object's
/// "bucket/key") and a few numbers, so a run's objects add next to nothing to the live set the GC works through while
/// the measured function runs. Thread-safe: a function may upload in parallel.
/// </summary>
internal sealed class InMemoryS3 : AmazonS3Client
{
    private static readonly Task<PutObjectResponse> Stored = Task.FromResult(new PutObjectResponse { ETag = "\"bench\"" });
    private static readonly Task<GetObjectMetadataResponse> Exists = Task.FromResult(new GetObjectMetadataResponse());
    private static readonly Task<DeleteObjectResponse> Deleted = Task.FromResult(new DeleteObjectResponse());

    private readonly Lock _gate = new();
    private readonly Dictionary<string, ObjectSize> _objects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _sources = new(StringComparer.Ordinal);

    public InMemoryS3()
        : base(new BasicAWSCredentials("bench", "bench"), new AmazonS3Config { ServiceURL = "http://127.0.0.1:9", ForcePathStyle = true, AuthenticationRegion = "us-east-1" })
    {
        _byPath = _objects.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>What a PUT stored: its size and number of '\n'-terminated lines.</summary>
    internal readonly record struct StoredObject(string Bucket, string Key, long Bytes, long Lines);

    /// <summary>A stored object's size and lines, by its "bucket/key" (<see cref="BucketLength"/> tells where the key starts).</summary>
    private readonly record struct ObjectSize(int BucketLength, long Bytes, long Lines);

    // Looks objects up by a "bucket/key" built on the stack: only a new object's path becomes a string.
    private readonly Dictionary<string, ObjectSize>.AlternateLookup<ReadOnlySpan<char>> _byPath;

    public long PutCalls { get; private set; }

    public long BytesPut { get; private set; }

    public IReadOnlyCollection<StoredObject> Objects
    {
        get
        {
            lock (_gate)
            {
                return [.. _objects.Select(o => new StoredObject(o.Key[..o.Value.BucketLength], o.Key[(o.Value.BucketLength + 1)..], o.Value.Bytes, o.Value.Lines))];
            }
        }
    }

    /// <summary>Forgets what was PUT (between measured runs); registered source files stay.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            _objects.Clear();
            PutCalls = 0;
            BytesPut = 0;
        }
    }

    /// <summary>Makes <c>s3://bucket/key</c> readable; GET streams it from <paramref name="path"/>.</summary>
    public void RegisterSource(string bucket, string key, string path) => _sources[bucket + "/" + key] = path;

    public override Task<PutObjectResponse> PutObjectAsync(PutObjectRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        long bytes = 0, lines = 0;
        if (request.InputStream is { } body) (bytes, lines) = Drain(body);
        else if (request.FilePath is { } path)
        {
            using var file = File.OpenRead(path);
            (bytes, lines) = Drain(file);
        }
        else if (request.ContentBody is { } text)
        {
            bytes = System.Text.Encoding.UTF8.GetByteCount(text);
            lines = text.AsSpan().Count('\n');
        }
        using (SinkAllocations.Measure())
        {
            lock (_gate)
            {
                PutCalls++;
                BytesPut += bytes;
                _byPath[ObjectPath(request.BucketName, request.Key, stackalloc char[PathOnStack])] = new ObjectSize(request.BucketName.Length, bytes, lines);
            }
        }
        return Stored;
    }

    public override Task<GetObjectMetadataResponse> GetObjectMetadataAsync(GetObjectMetadataRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Has(request.BucketName, request.Key) ? Exists : throw NotFound(request.Key);
    }

    public override Task<GetObjectMetadataResponse> GetObjectMetadataAsync(string bucketName, string key, CancellationToken cancellationToken = default) =>
        GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = bucketName, Key = key }, cancellationToken);

    public override Task<GetObjectResponse> GetObjectAsync(GetObjectRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var sink = SinkAllocations.Measure();
        if (!_sources.TryGetValue(request.BucketName + "/" + request.Key, out var path)) throw NotFound(request.Key);
        var stream = new SyncFileReadStream(path);
        return Task.FromResult(new GetObjectResponse
        {
            BucketName = request.BucketName,
            Key = request.Key,
            ResponseStream = stream,
            ContentLength = stream.Length,
            HttpStatusCode = HttpStatusCode.OK,
        });
    }

    public override Task<DeleteObjectResponse> DeleteObjectAsync(DeleteObjectRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate) _byPath.Remove(ObjectPath(request.BucketName, request.Key, stackalloc char[PathOnStack]));
        return Deleted;
    }

    /// <summary>Reads a body to its end as the SDK would when sending it: its size and its '\n' count.</summary>
    private static (long Bytes, long Lines) Drain(Stream body)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            long bytes = 0, lines = 0;
            int n;
            while ((n = body.Read(buffer, 0, buffer.Length)) > 0)
            {
                bytes += n;
                lines += buffer.AsSpan(0, n).Count((byte)'\n');
            }
            return (bytes, lines);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private bool Has(string bucket, string key)
    {
        lock (_gate) return _byPath.ContainsKey(ObjectPath(bucket, key, stackalloc char[PathOnStack])) || _sources.ContainsKey(bucket + "/" + key);
    }

    private const int PathOnStack = 512;

    /// <summary>"bucket/key" in <paramref name="buffer"/> when it fits (S3 keys are at most 1,024 bytes), else as a new string.</summary>
    private static ReadOnlySpan<char> ObjectPath(string bucket, string key, Span<char> buffer)
    {
        var length = bucket.Length + 1 + key.Length;
        if (length > buffer.Length) return string.Concat(bucket, "/", key);
        bucket.CopyTo(buffer);
        buffer[bucket.Length] = '/';
        key.CopyTo(buffer[(bucket.Length + 1)..]);
        return buffer[..length];
    }

    private static AmazonS3Exception NotFound(string key) =>
        new($"The specified key does not exist: {key}", ErrorType.Sender, "NoSuchKey", "bench", HttpStatusCode.NotFound);
}

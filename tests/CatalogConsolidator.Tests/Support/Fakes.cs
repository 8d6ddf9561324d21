using System.Collections.Concurrent;
using System.Text;
using Pipelines.Catalog.Domain;
using Pipelines.Catalog.Priority;
using Pipelines.Catalog.Storage;
using Pipelines.Shared.Runtime;

namespace Pipelines.Tests.CatalogConsolidator.Support;

/// <summary>Source bucket in memory, with ways to make reads fail like S3 does.</summary>
internal sealed class InMemoryObjectStore : ICatalogObjectStore
{
    public ConcurrentDictionary<(string Bucket, string Key), byte[]> Objects { get; } = new();
    /// <summary>Keys whose GetObject fails with a (transient) network error on every attempt.</summary>
    public HashSet<string> FailingKeys { get; } = [];
    /// <summary>Keys whose body stalls after the first bytes until the caller gives up.</summary>
    public HashSet<string> StallingKeys { get; } = [];
    public ConcurrentBag<string> Opened { get; } = [];

    public void Put(string key, params string[] lines) =>
        Objects[(Fixtures.SourceBucket, key)] = Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n");

    public Task<Stream?> OpenAsync(string bucket, string key, CancellationToken cancellationToken)
    {
        Opened.Add(key);
        if (FailingKeys.Contains(key)) throw new HttpRequestException("connection reset by peer");
        if (!Objects.TryGetValue((bucket, key), out var data)) return Task.FromResult<Stream?>(null);
        Stream stream = StallingKeys.Contains(key) ? new StallingStream(data) : new MemoryStream(data, writable: false);
        return Task.FromResult<Stream?>(stream);
    }

    private sealed class StallingStream(byte[] data) : MemoryStream(data, writable: false)
    {
        private bool _served;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!_served)
            {
                _served = true;
                return await base.ReadAsync(buffer[..Math.Min(buffer.Length, 10)], cancellationToken);
            }
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }
    }
}

/// <summary>Output bucket in memory; <see cref="FailPut"/> makes chosen uploads fail every attempt.</summary>
internal sealed class InMemoryOutputStore : ICatalogOutputStore
{
    public ConcurrentDictionary<string, byte[]> Objects { get; } = new();
    public Func<string, bool> FailPut { get; set; } = _ => false;
    public ConcurrentBag<string> Deleted { get; } = [];
    public int PutAttempts;

    public async Task PutFileAsync(string key, FileSegment segment, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref PutAttempts);
        if (FailPut(key)) throw new HttpRequestException("503 Slow Down");
        // Through the stream the S3 store sends, so the segment's bounds are what gets checked.
        await using var body = new FileSegmentStream(segment);
        var bytes = new byte[body.Length];
        await body.ReadExactlyAsync(bytes, cancellationToken);
        Objects[key] = bytes;
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        Objects.TryRemove(key, out _);
        Deleted.Add(key);
        return Task.CompletedTask;
    }

    public IEnumerable<string> OutputKeys => Objects.Keys.Where(k => !k.StartsWith("rejected/", StringComparison.Ordinal)).Order(StringComparer.Ordinal);

    public IEnumerable<string> RejectedKeys => Objects.Keys.Where(k => k.StartsWith("rejected/", StringComparison.Ordinal)).Order(StringComparer.Ordinal);

    public List<System.Text.Json.JsonElement> Lines(string key) =>
        Encoding.UTF8.GetString(Objects[key]).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement.Clone()).ToList();

    public List<System.Text.Json.JsonElement> AllOutputRecords() => OutputKeys.SelectMany(Lines).ToList();
}

internal sealed class StaticPrioritySource(PartnerPriorityBook book) : IPartnerPrioritySource
{
    public int Loads;
    public Exception? Failure { get; set; }

    public Task<PartnerPriorityBook> LoadAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref Loads);
        return Failure is null ? Task.FromResult(book) : Task.FromException<PartnerPriorityBook>(Failure);
    }
}

internal sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>A context whose remaining time follows a script (one value per read), to test the cut-off deterministically.</summary>
internal sealed class ScriptedContext(params TimeSpan[] remaining) : ILambdaContext
{
    private int _reads;
    public string AwsRequestId => "req-1";
    public string FunctionName => "catalog-consolidator";
    public string FunctionVersion => "$LATEST";
    public string InvokedFunctionArn => "arn:aws:lambda:us-east-1:123456789012:function:catalog-consolidator";
    public int MemoryLimitInMB => 1024;
    public string? TraceId => null;
    public DateTimeOffset Deadline => DateTimeOffset.UtcNow + RemainingTime;
    public bool IsColdStart => false;
    public TimeSpan RemainingTime => remaining[Math.Min(_reads++, remaining.Length - 1)];
}

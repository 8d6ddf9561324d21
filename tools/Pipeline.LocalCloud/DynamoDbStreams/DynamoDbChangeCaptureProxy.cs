using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Pipelines.LocalCloud.DynamoDbPartiQL;
using Pipelines.LocalCloud.Http;

namespace Pipelines.LocalCloud.DynamoDbStreams;

/// <summary>
/// DynamoDB Streams for an emulator that has none (dynalite). Clients talk to this proxy instead of dynalite; it forwards
/// every request unchanged and, for writes to a table with a stream, reads the item before and after (consistent reads,
/// under a per-key lock so concurrent writers cannot interleave) and appends INSERT / MODIFY / REMOVE records with the
/// old and new images. A write that changes nothing, or that fails (e.g. a conditional check), records nothing, as in AWS.
/// It also serves the DynamoDB Streams API (ListStreams, DescribeStream, GetShardIterator, GetRecords) for other consumers,
/// and BatchExecuteStatement's PartiQL INSERTs, which dynalite lacks (<see cref="BatchExecuteStatementEmulator"/>).
/// </summary>
public sealed class DynamoDbChangeCaptureProxy : IAsyncDisposable
{
    private const int LockStripes = 64;
    private static readonly string[] ForwardedHeaders = ["X-Amz-Target", "Authorization", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-Sha256"];
    private static readonly string[] ReturnedHeaders = ["x-amzn-RequestId", "x-amz-crc32"];

    private readonly Func<Uri> _backend;
    private readonly HttpClient _http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(1) }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly ConcurrentDictionary<string, DynamoDbStreamLog> _streams = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim[] _stripes = Enumerable.Range(0, LockStripes).Select(_ => new SemaphoreSlim(1, 1)).ToArray();
    private readonly DynamoDbStreamsApi _streamsApi;
    private readonly BatchExecuteStatementEmulator _partiQL;
    private LoopbackHttpServer? _server;
    private long _failUntilTicks;

    public Uri Endpoint => _server?.Endpoint ?? throw new InvalidOperationException("not started");

    private DynamoDbChangeCaptureProxy(Func<Uri> backend)
    {
        _backend = backend;
        _streamsApi = new DynamoDbStreamsApi(this);
        _partiQL = new BatchExecuteStatementEmulator(SendToBackendAsync);
    }

    public static async Task<DynamoDbChangeCaptureProxy> StartAsync(Func<Uri> backend, int port, CancellationToken ct)
    {
        var proxy = new DynamoDbChangeCaptureProxy(backend);
        proxy._server = await LoopbackHttpServer.StartAsync(proxy.HandleAsync, port, ct);
        return proxy;
    }

    public IReadOnlyCollection<DynamoDbStreamLog> Streams => [.. _streams.Values];

    public DynamoDbStreamLog? Stream(string tableName) => _streams.GetValueOrDefault(tableName);

    /// <summary>Turns on the stream of an existing table (e.g. one kept from an earlier run).</summary>
    public DynamoDbStreamLog EnableStream(string tableName, string streamViewType, IReadOnlyList<string> keyAttributes) =>
        _streams.GetOrAdd(tableName, t => new DynamoDbStreamLog(t, streamViewType, keyAttributes, DateTimeOffset.UtcNow));

    /// <summary>
    /// Answers requests with HTTP 500 InternalServerError for a while (fault tests): all of them, or only those naming one
    /// of <paramref name="tables"/>. Failed requests never reach dynalite.
    /// </summary>
    public void FailRequestsFor(TimeSpan duration, IReadOnlySet<string>? tables = null)
    {
        Volatile.Write(ref _failTables, tables);
        Interlocked.Exchange(ref _failUntilTicks, DateTime.UtcNow.Add(duration).Ticks);
    }

    private IReadOnlySet<string>? _failTables;

    public long FailedRequests => Interlocked.Read(ref _failedRequests);
    private long _failedRequests;

    private async Task HandleAsync(HttpContext ctx)
    {
        var body = await ReadBodyAsync(ctx.Request);
        if (DateTime.UtcNow.Ticks < Interlocked.Read(ref _failUntilTicks) && TargetsFailingTable(body))
        {
            Interlocked.Increment(ref _failedRequests);
            await AwsJsonResponses.WriteErrorAsync(ctx, "com.amazonaws.dynamodb.v20120810#InternalServerError", "Internal server error (local fault injection)", 500);
            return;
        }

        var target = ctx.Request.Headers["X-Amz-Target"].ToString();
        if (target.StartsWith("DynamoDBStreams_20120810.", StringComparison.Ordinal))
        {
            await _streamsApi.HandleAsync(ctx, target["DynamoDBStreams_20120810.".Length..], body);
            return;
        }

        var operation = AwsJsonResponses.Operation(ctx.Request);
        try
        {
            var response = operation switch
            {
                "PutItem" or "UpdateItem" or "DeleteItem" => await SingleWriteAsync(ctx, operation, body),
                "BatchWriteItem" => await BatchWriteAsync(ctx, body),
                "BatchExecuteStatement" => await BatchExecuteStatementAsync(body, ctx.RequestAborted),
                "CreateTable" => await CreateTableAsync(ctx, body),
                "DescribeTable" => await DescribeTableAsync(ctx, body),
                _ => await ForwardAsync(ctx.Request, body, ctx.RequestAborted),
            };
            await WriteAsync(ctx, response);
        }
        catch (HttpRequestException e)
        {
            // dynalite is down: answer like an unavailable AWS endpoint so SDK clients retry.
            await AwsJsonResponses.WriteErrorAsync(ctx, "com.amazonaws.dynamodb.v20120810#InternalServerError", $"backend unavailable: {e.Message}", 500);
        }
    }

    private bool TargetsFailingTable(byte[] body)
    {
        var tables = Volatile.Read(ref _failTables);
        if (tables is null) return true;
        try
        {
            var request = JsonNode.Parse(body) as JsonObject;
            if (request?["TableName"]?.GetValue<string>() is { } t) return tables.Contains(t);
            if (request?["Statements"] is JsonArray) return BatchExecuteStatementEmulator.TablesOf(body).Any(tables.Contains);
            return request?["RequestItems"] is JsonObject items && items.Any(kv => tables.Contains(kv.Key));
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private async Task<Forwarded> SingleWriteAsync(HttpContext ctx, string operation, byte[] body)
    {
        var request = JsonNode.Parse(body)?.AsObject();
        var table = request?["TableName"]?.GetValue<string>();
        if (request is null || table is null || Stream(table) is not { } log)
            return await ForwardAsync(ctx.Request, body, ctx.RequestAborted);

        var keys = KeyOf(log, operation == "PutItem" ? request["Item"] as JsonObject : request["Key"] as JsonObject);
        if (keys is null) return await ForwardAsync(ctx.Request, body, ctx.RequestAborted);
        return await CapturedWriteAsync(log, keys, ct => ForwardAsync(ctx.Request, body, ct), ctx.RequestAborted);
    }

    /// <summary>Runs a single-item write under its key's lock, recording the change it made to <paramref name="log"/>.</summary>
    private async Task<Forwarded> CapturedWriteAsync(DynamoDbStreamLog log, JsonObject keys, Func<CancellationToken, Task<Forwarded>> write, CancellationToken ct)
    {
        var stripe = _stripes[StripeOf(log.TableName, keys)];
        await stripe.WaitAsync(ct);
        try
        {
            var before = await GetItemAsync(log.TableName, keys, ct);
            var response = await write(ct);
            if (response.Status / 100 == 2)
            {
                var after = await GetItemAfterWriteAsync(log.TableName, keys);
                Record(log, keys, before, after);
            }
            return response;
        }
        finally
        {
            stripe.Release();
        }
    }

    private async Task<Forwarded> BatchExecuteStatementAsync(byte[] body, CancellationToken ct)
    {
        var answer = await _partiQL.ExecuteAsync(body, ct);
        return new Forwarded(answer.Status, Encoding.UTF8.GetBytes(answer.Body.ToJsonString()), "application/x-amz-json-1.0", []);
    }

    /// <summary>
    /// One request of the proxy's own to dynalite (for the emulated PartiQL statements); a PutItem to a table with a
    /// stream is recorded like a client's.
    /// </summary>
    private async Task<BatchExecuteStatementEmulator.BackendAnswer> SendToBackendAsync(string operation, JsonObject request, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(request.ToJsonString());
        Task<Forwarded> Send(CancellationToken c) => SendToBackendAsync(operation, bytes, c);
        var table = request["TableName"]?.GetValue<string>();
        var response = operation == "PutItem" && table is not null && Stream(table) is { } log && KeyOf(log, request["Item"] as JsonObject) is { } keys
            ? await CapturedWriteAsync(log, keys, Send, ct)
            : await Send(ct);
        var body = response.Body.Length > 0 ? JsonNode.Parse(response.Body) as JsonObject : null;
        return new BatchExecuteStatementEmulator.BackendAnswer(response.Status, body ?? []);
    }

    private async Task<Forwarded> SendToBackendAsync(string operation, byte[] body, CancellationToken ct)
    {
        using var message = BackendRequest("DynamoDB_20120810." + operation, body);
        using var response = await _http.SendAsync(message, ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        return new Forwarded((int)response.StatusCode, bytes, "application/x-amz-json-1.0", []);
    }

    private async Task<Forwarded> BatchWriteAsync(HttpContext ctx, byte[] body)
    {
        var request = JsonNode.Parse(body)?.AsObject();
        var changes = new List<(DynamoDbStreamLog Log, JsonObject Keys)>();
        if (request?["RequestItems"] is JsonObject items)
        {
            foreach (var (table, writes) in items)
            {
                if (Stream(table) is not { } log || writes is not JsonArray array) continue;
                foreach (var w in array)
                {
                    var item = w?["PutRequest"]?["Item"] as JsonObject ?? w?["DeleteRequest"]?["Key"] as JsonObject;
                    if (KeyOf(log, item) is { } keys) changes.Add((log, keys));
                }
            }
        }
        if (changes.Count == 0) return await ForwardAsync(ctx.Request, body, ctx.RequestAborted);

        // Lock stripes in ascending order so two batches cannot deadlock.
        var stripes = changes.Select(c => StripeOf(c.Log.TableName, c.Keys)).Distinct().Order().ToList();
        foreach (var s in stripes) await _stripes[s].WaitAsync(ctx.RequestAborted);
        try
        {
            var before = new List<JsonObject?>();
            foreach (var (log, keys) in changes) before.Add(await GetItemAsync(log.TableName, keys, ctx.RequestAborted));
            var response = await ForwardAsync(ctx.Request, body, ctx.RequestAborted);
            if (response.Status / 100 == 2)
            {
                for (var i = 0; i < changes.Count; i++)
                {
                    var after = await GetItemAfterWriteAsync(changes[i].Log.TableName, changes[i].Keys);
                    Record(changes[i].Log, changes[i].Keys, before[i], after);
                }
            }
            return response;
        }
        finally
        {
            foreach (var s in stripes) _stripes[s].Release();
        }
    }

    /// <summary>
    /// DynamoDB TTL, which dynalite lacks: deletes items whose <paramref name="ttlAttribute"/> (epoch seconds) is in the
    /// past, each only if still expired at delete time, and records the REMOVE with the TTL service as userIdentity.
    /// Returns how many items it deleted.
    /// </summary>
    public async Task<int> SweepExpiredAsync(string table, string ttlAttribute, IReadOnlyList<string> keyAttributes, CancellationToken ct)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        var names = new JsonObject { ["#ttl"] = ttlAttribute };
        var values = new JsonObject { [":now"] = new JsonObject { ["N"] = now } };
        var deleted = 0;
        JsonNode? start = null;
        do
        {
            var scan = new JsonObject
            {
                ["TableName"] = table, ["FilterExpression"] = "#ttl < :now", ["ConsistentRead"] = true,
                ["ExpressionAttributeNames"] = names.DeepClone(), ["ExpressionAttributeValues"] = values.DeepClone(),
            };
            if (start is not null) scan["ExclusiveStartKey"] = start.DeepClone();
            var page = await BackendAsync("DynamoDB_20120810.Scan", scan, ct);
            foreach (var item in page["Items"]?.AsArray().OfType<JsonObject>() ?? [])
            {
                var keys = new JsonObject();
                foreach (var k in keyAttributes) keys[k] = item[k]!.DeepClone();
                if (await DeleteIfExpiredAsync(table, keys, names, values, ct)) deleted++;
            }
            start = page["LastEvaluatedKey"];
        }
        while (start is JsonObject { Count: > 0 });
        return deleted;
    }

    private async Task<bool> DeleteIfExpiredAsync(string table, JsonObject keys, JsonObject names, JsonObject values, CancellationToken ct)
    {
        var stripe = _stripes[StripeOf(table, keys)];
        await stripe.WaitAsync(ct);
        try
        {
            var delete = new JsonObject
            {
                ["TableName"] = table, ["Key"] = keys.DeepClone(), ["ConditionExpression"] = "#ttl < :now",
                ["ExpressionAttributeNames"] = names.DeepClone(), ["ExpressionAttributeValues"] = values.DeepClone(), ["ReturnValues"] = "ALL_OLD",
            };
            JsonObject result;
            try
            {
                result = await BackendAsync("DynamoDB_20120810.DeleteItem", delete, ct);
            }
            catch (HttpRequestException e) when (e.Message.Contains("ConditionalCheckFailed", StringComparison.Ordinal))
            {
                return false; // renewed since the scan
            }
            if (Stream(table) is { } log && result["Attributes"] is JsonObject old)
            {
                log.Append(keys, old, null, DateTimeOffset.UtcNow,
                    new JsonObject { ["type"] = "Service", ["principalId"] = "dynamodb.amazonaws.com" });
            }
            return true;
        }
        finally
        {
            stripe.Release();
        }
    }

    private async Task<JsonObject> BackendAsync(string target, JsonObject request, CancellationToken ct)
    {
        using var message = BackendRequest(target, Encoding.UTF8.GetBytes(request.ToJsonString()));
        using var response = await _http.SendAsync(message, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"{target} on {request["TableName"]} failed: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)?.AsObject() ?? [];
    }

    private static void Record(DynamoDbStreamLog log, JsonObject keys, JsonObject? before, JsonObject? after)
    {
        if (before is null && after is null) return;
        if (before is not null && after is not null && JsonNode.DeepEquals(before, after)) return;
        log.Append(keys, before, after, DateTimeOffset.UtcNow);
    }

    private async Task<Forwarded> CreateTableAsync(HttpContext ctx, byte[] body)
    {
        var response = await ForwardAsync(ctx.Request, body, ctx.RequestAborted);
        var request = JsonNode.Parse(body)?.AsObject();
        var spec = request?["StreamSpecification"];
        if (response.Status / 100 == 2 && spec?["StreamEnabled"]?.GetValue<bool>() == true && request!["TableName"]?.GetValue<string>() is { } table)
        {
            var keyAttributes = request["KeySchema"]!.AsArray().Select(k => k!["AttributeName"]!.GetValue<string>()).ToList();
            EnableStream(table, spec["StreamViewType"]?.GetValue<string>() ?? "NEW_AND_OLD_IMAGES", keyAttributes);
            return PatchTableDescription(response, "TableDescription", table);
        }
        return response;
    }

    private async Task<Forwarded> DescribeTableAsync(HttpContext ctx, byte[] body)
    {
        var response = await ForwardAsync(ctx.Request, body, ctx.RequestAborted);
        var table = JsonNode.Parse(body)?["TableName"]?.GetValue<string>();
        return response.Status / 100 == 2 && table is not null ? PatchTableDescription(response, "Table", table) : response;
    }

    /// <summary>Adds StreamSpecification / LatestStreamArn / LatestStreamLabel the way DynamoDB describes a table with a stream.</summary>
    private Forwarded PatchTableDescription(Forwarded response, string property, string table)
    {
        if (Stream(table) is not { } log || JsonNode.Parse(response.Body) is not JsonObject root || root[property] is not JsonObject description)
            return response;
        description["StreamSpecification"] = new JsonObject { ["StreamEnabled"] = true, ["StreamViewType"] = log.StreamViewType };
        description["LatestStreamLabel"] = log.StreamLabel;
        description["LatestStreamArn"] = log.StreamArn;
        // The body changed, so dynalite's CRC32 no longer applies (SDKs only check it when present).
        return response with { Body = Encoding.UTF8.GetBytes(root.ToJsonString()), Headers = response.Headers.Where(h => h.Key != "x-amz-crc32").ToList() };
    }

    private static JsonObject? KeyOf(DynamoDbStreamLog log, JsonObject? item)
    {
        if (item is null) return null;
        var keys = new JsonObject();
        foreach (var attribute in log.KeyAttributes)
        {
            if (item[attribute] is not { } value) return null;
            keys[attribute] = value.DeepClone();
        }
        return keys;
    }

    private static int StripeOf(string table, JsonObject keys) =>
        (int)((uint)HashCode.Combine(table, keys.ToJsonString()) % LockStripes);

    private async Task<JsonObject?> GetItemAsync(string table, JsonObject keys, CancellationToken ct)
    {
        var request = new JsonObject { ["TableName"] = table, ["Key"] = keys.DeepClone(), ["ConsistentRead"] = true };
        using var message = BackendRequest("DynamoDB_20120810.GetItem", Encoding.UTF8.GetBytes(request.ToJsonString()));
        using var response = await _http.SendAsync(message, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"GetItem on {table} failed: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)?["Item"] as JsonObject;
    }

    /// <summary>The write already happened: keep trying to read its result so the change is not lost from the stream.</summary>
    private async Task<JsonObject?> GetItemAfterWriteAsync(string table, JsonObject keys)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await GetItemAsync(table, keys, CancellationToken.None);
            }
            catch (HttpRequestException) when (attempt < 50)
            {
                await Task.Delay(200);
            }
        }
    }

    private HttpRequestMessage BackendRequest(string target, byte[] body)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, _backend()) { Content = new ByteArrayContent(body) };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.0");
        message.Headers.TryAddWithoutValidation("X-Amz-Target", target);
        var now = DateTime.UtcNow;
        message.Headers.TryAddWithoutValidation("X-Amz-Date", now.ToString("yyyyMMdd'T'HHmmss'Z'", System.Globalization.CultureInfo.InvariantCulture));
        message.Headers.TryAddWithoutValidation("Authorization",
            $"AWS4-HMAC-SHA256 Credential=S3RVER/{now:yyyyMMdd}/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=0");
        return message;
    }

    private sealed record Forwarded(int Status, byte[] Body, string ContentType, List<KeyValuePair<string, string>> Headers);

    private async Task<Forwarded> ForwardAsync(HttpRequest request, byte[] body, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, _backend()) { Content = new ByteArrayContent(body) };
        message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType ?? "application/x-amz-json-1.0");
        foreach (var name in ForwardedHeaders)
        {
            if (request.Headers.TryGetValue(name, out var value)) message.Headers.TryAddWithoutValidation(name, value.ToString());
        }
        using var response = await _http.SendAsync(message, ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        var headers = ReturnedHeaders
            .Where(h => response.Headers.Contains(h))
            .Select(h => new KeyValuePair<string, string>(h, string.Join(',', response.Headers.GetValues(h))))
            .ToList();
        return new Forwarded((int)response.StatusCode, bytes, response.Content.Headers.ContentType?.ToString() ?? "application/x-amz-json-1.0", headers);
    }

    private static async Task WriteAsync(HttpContext ctx, Forwarded response)
    {
        ctx.Response.StatusCode = response.Status;
        ctx.Response.ContentType = response.ContentType;
        foreach (var (name, value) in response.Headers) ctx.Response.Headers[name] = value;
        ctx.Response.ContentLength = response.Body.Length;
        await ctx.Response.Body.WriteAsync(response.Body, ctx.RequestAborted);
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        return buffer.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
        _http.Dispose();
        foreach (var s in _stripes) s.Dispose();
    }
}

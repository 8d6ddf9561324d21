using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace Pipelines.Cli.Bench.Sinks;

/// <summary>
/// DynamoDB's JSON 1.0 endpoint in memory, for functions that send their own signed request bodies: every UpdateItem,
/// BatchWriteItem, BatchGetItem and BatchExecuteStatement body arrives as the bytes the function built, is decoded and
/// applied to an <see cref="InMemoryDynamoDb"/>'s tables, and is answered as DynamoDB answers (ALL_OLD attributes; a
/// failed condition as a 400 <c>ConditionalCheckFailedException</c> error; a PartiQL INSERT of an existing key as a
/// <c>DuplicateItem</c> statement error, without the item). Calls the function makes through the SDK client see the
/// same items. What it allocates is counted as the sink's, not the function's.
/// </summary>
/// <param name="hashKeys">Table name -> hash key attribute, for the INSERTs' "no item with this key" condition.</param>
internal sealed class InMemoryDynamoDbJsonEndpoint(InMemoryDynamoDb dynamo, IReadOnlyDictionary<string, string>? hashKeys = null) : HttpMessageHandler
{
    /// <summary>BatchExecuteStatement's limit on statements per call.</summary>
    private const int MaxStatements = 25;

    private const string TargetPrefix = "DynamoDB_20120810.";
    private const string ErrorTypePrefix = "com.amazonaws.dynamodb.v20120810#";
    private static readonly byte[] EmptyObject = "{}"u8.ToArray();
    private static readonly byte[] AllProcessed = """{"UnprocessedItems":{}}"""u8.ToArray();
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/x-amz-json-1.0");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(Send(request, cancellationToken));

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        byte[] body;
        int length;
        string operation;
        using (SinkAllocations.Measure())
        {
            operation = CheckProtocol(request);
            (body, length) = ReadBody(request.Content!, cancellationToken);
        }
        try
        {
            return operation switch
            {
                "UpdateItem" => UpdateItem(body.AsSpan(0, length)),
                "BatchWriteItem" => BatchWriteItem(body.AsSpan(0, length)),
                "BatchGetItem" => BatchGetItem(body.AsSpan(0, length)),
                "BatchExecuteStatement" => BatchExecuteStatement(body.AsSpan(0, length)),
                _ => throw new NotSupportedException($"the bench's DynamoDB JSON endpoint does not answer {operation}"),
            };
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body);
        }
    }

    private HttpResponseMessage UpdateItem(ReadOnlySpan<byte> body)
    {
        UpdateItemRequest request;
        using (SinkAllocations.Measure()) request = DynamoJsonRequests.ReadUpdateItem(body);
        UpdateItemResponse response;
        try
        {
            // InMemoryDynamoDb counts what it allocates itself: measuring around it too would count that twice.
            response = dynamo.UpdateItemAsync(request).GetAwaiter().GetResult();
        }
        catch (AmazonDynamoDBException e)
        {
            using (SinkAllocations.Measure()) return Error(e);
        }
        using (SinkAllocations.Measure())
        {
            return response.Attributes is { Count: > 0 } old
                ? Answer(DynamoJsonRequests.WriteAttributes(old))
                : Answer(EmptyObject);
        }
    }

    private HttpResponseMessage BatchWriteItem(ReadOnlySpan<byte> body)
    {
        using var sink = SinkAllocations.Measure();
        var writes = t_writes ??= [];
        DynamoJsonRequests.ReadBatchWriteItem(body, writes);
        try
        {
            dynamo.BatchWrite(body, writes);
        }
        catch (AmazonDynamoDBException e)
        {
            return Error(e);
        }
        return Answer(AllProcessed);
    }

    private HttpResponseMessage BatchGetItem(ReadOnlySpan<byte> body)
    {
        using var sink = SinkAllocations.Measure();
        var tables = DynamoJsonRequests.ReadBatchGetItem(body);
        try
        {
            return Answer(DynamoJsonRequests.WriteBatchGetItemResponse(body, tables, dynamo));
        }
        catch (AmazonDynamoDBException e)
        {
            return Error(e);
        }
    }

    /// <summary>
    /// PartiQL INSERTs, each a put conditioned on no item having its key, applied in order; one response per
    /// statement. A statement the bench does not model fails the whole call with a ValidationException.
    /// </summary>
    private HttpResponseMessage BatchExecuteStatement(ReadOnlySpan<byte> body)
    {
        using var sink = SinkAllocations.Measure();
        var inserts = t_inserts ??= [];
        var items = t_items ??= new ArrayBufferWriter<byte>(16 * 1024);
        try
        {
            DynamoJsonRequests.ReadBatchExecuteStatement(body, inserts, items, t_itemWriter ??= new Utf8JsonWriter(items));
        }
        catch (FormatException e)
        {
            return Error("ValidationException", e.Message);
        }
        if (inserts.Count is 0 or > MaxStatements)
            return Error("ValidationException", $"1 validation error detected: Value at 'statements' failed to satisfy constraint: Member must have length between 1 and {MaxStatements}");
        var duplicate = new bool[inserts.Count];
        for (var i = 0; i < inserts.Count; i++)
        {
            var insert = inserts[i];
            var key = hashKeys?.GetValueOrDefault(insert.Table)
                ?? throw new NotSupportedException($"the bench's DynamoDB JSON endpoint was not told the hash key of {insert.Table}");
            try
            {
                duplicate[i] = !dynamo.TryInsert(insert.Table, items.WrittenSpan.Slice(insert.Start, insert.Length), key);
            }
            catch (AmazonDynamoDBException e)
            {
                return Error(e);
            }
        }
        return Answer(DynamoJsonRequests.WriteStatementResponses(inserts, duplicate));
    }

    // Reused per thread (the endpoint answers on the caller's thread, one call at a time), so a call leaves no garbage behind.
    [ThreadStatic] private static List<JsonWrite>? t_writes;
    [ThreadStatic] private static List<InsertStatement>? t_inserts;
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_items;
    [ThreadStatic] private static Utf8JsonWriter? t_itemWriter;

    private static HttpResponseMessage Answer(byte[] json) =>
        new(HttpStatusCode.OK) { Content = new ByteArrayContent(json) { Headers = { ContentType = JsonContentType } } };

    /// <summary>DynamoDB's error shape: HTTP 400 with <c>{"__type":"com.amazonaws.dynamodb.v20120810#Code","message":..}</c>.</summary>
    private static HttpResponseMessage Error(AmazonDynamoDBException e) => Error(e.ErrorCode ?? e.GetType().Name, e.Message);

    private static HttpResponseMessage Error(string code, string message)
    {
        var output = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStartObject();
            writer.WriteString("__type"u8, ErrorTypePrefix + code);
            writer.WriteString("message"u8, message);
            writer.WriteEndObject();
        }
        var json = output.WrittenSpan.ToArray();
        return new HttpResponseMessage(HttpStatusCode.BadRequest) { Content = new ByteArrayContent(json) { Headers = { ContentType = JsonContentType } } };
    }

    private static (byte[] Buffer, int Length) ReadBody(HttpContent content, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent((int)(content.Headers.ContentLength ?? 4096));
        var length = 0;
        using var stream = content.ReadAsStream(cancellationToken);
        int read;
        while ((read = stream.Read(buffer.AsSpan(length))) > 0)
        {
            length += read;
            if (length < buffer.Length) continue;
            var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
            buffer.AsSpan(0, length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = larger;
        }
        return (buffer, length);
    }

    /// <summary>What DynamoDB checks before it reads a body: the operation, the protocol's content type, a signature. Returns the operation.</summary>
    private static string CheckProtocol(HttpRequestMessage request)
    {
        // NonValidated: the raw values, without parsing every header on every call (the sink's time counts in the figure).
        var headers = request.Headers.NonValidated;
        if (request.Method != HttpMethod.Post) throw new InvalidOperationException($"DynamoDB expects POST, got {request.Method}");
        if (!headers.TryGetValues("X-Amz-Target", out var targets) || targets.Count != 1 || targets.ToString() is not { } target
            || !target.StartsWith(TargetPrefix, StringComparison.Ordinal))
            throw new InvalidOperationException($"expected X-Amz-Target {TargetPrefix}<operation>");
        if (request.Content?.Headers.ContentType?.MediaType != JsonContentType.MediaType)
            throw new InvalidOperationException($"expected content type {JsonContentType.MediaType}, got {request.Content?.Headers.ContentType}");
        if (!headers.TryGetValues("Authorization", out var authorization) || !authorization.ToString().StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal)
            || !headers.Contains("X-Amz-Date"))
            throw new InvalidOperationException("the request is not SigV4-signed");
        return target.AsSpan(TargetPrefix.Length) switch
        {
            "UpdateItem" => "UpdateItem",
            "BatchWriteItem" => "BatchWriteItem",
            "BatchGetItem" => "BatchGetItem",
            "BatchExecuteStatement" => "BatchExecuteStatement",
            var other => other.ToString(),
        };
    }
}

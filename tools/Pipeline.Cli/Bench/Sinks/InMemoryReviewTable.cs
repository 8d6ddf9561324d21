using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Pipelines.Cli.Bench.Sinks;

/// <summary>
/// review-ingestion-processor's DynamoDB table, in memory behind the function's own signed HTTP client: every
/// BatchWriteItem request arrives as the bytes the function built (DynamoDB JSON, JSON 1.0 protocol headers, SigV4
/// signature) and every put is taken (no UnprocessedItems). During a run the bodies are only appended to one reused
/// buffer, so the sink adds next to nothing to the measured time; <see cref="DecodeItems"/> reads them afterwards.
/// What it allocates is counted as the sink's, not the function's. Thread-safe (one lock).
/// </summary>
internal sealed class InMemoryReviewTable(string tableName) : HttpMessageHandler
{
    private const string Target = "DynamoDB_20120810.BatchWriteItem";
    private static readonly byte[] AllProcessed = """{"UnprocessedItems":{}}"""u8.ToArray();
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/x-amz-json-1.0");

    private readonly Lock _gate = new();
    private readonly ArrayBufferWriter<byte> _bodies = new(1024 * 1024);
    private readonly List<(int Start, int Length)> _calls = [];

    public string TableName => tableName;

    public int Calls
    {
        get
        {
            lock (_gate) return _calls.Count;
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _bodies.ResetWrittenCount();
            _calls.Clear();
        }
    }

    /// <summary>
    /// The stored items' DynamoDB JSON by review_id (a later put of a key replaces an earlier one, as in DynamoDB).
    /// Throws <see cref="InvalidOperationException"/> for a body DynamoDB would have refused.
    /// </summary>
    public Dictionary<string, byte[]> DecodeItems()
    {
        lock (_gate)
        {
            var items = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var (start, length) in _calls) StorePuts(_bodies.WrittenSpan.Slice(start, length), items);
            return items;
        }
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(Send(request, cancellationToken));

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var sink = SinkAllocations.Measure();
        CheckProtocol(request);
        lock (_gate)
        {
            var start = _bodies.WrittenCount;
            using (var content = request.Content!.ReadAsStream(cancellationToken))
            {
                int read;
                while ((read = content.Read(_bodies.GetSpan(64 * 1024))) > 0) _bodies.Advance(read);
            }
            _calls.Add((start, _bodies.WrittenCount - start));
        }
        return new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(AllProcessed) { Headers = { ContentType = JsonContentType } } };
    }

    /// <summary>What DynamoDB checks before it reads a body: the operation, the protocol's content type, a signature.</summary>
    private static void CheckProtocol(HttpRequestMessage request)
    {
        if (request.Method != HttpMethod.Post) throw new InvalidOperationException($"DynamoDB expects POST, got {request.Method}");
        if (!request.Headers.TryGetValues("X-Amz-Target", out var targets) || targets.Single() != Target)
            throw new InvalidOperationException($"expected X-Amz-Target {Target}");
        if (request.Content?.Headers.ContentType?.MediaType != JsonContentType.MediaType)
            throw new InvalidOperationException($"expected content type {JsonContentType.MediaType}, got {request.Content?.Headers.ContentType}");
        // Read raw: SigV4's "Credential=a/b/c, SignedHeaders=x;y, ..." is not a value AuthenticationHeaderValue parses.
        if (!request.Headers.TryGetValues("Authorization", out var authorization) || !authorization.Single().StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal)
            || !request.Headers.Contains("X-Amz-Date"))
            throw new InvalidOperationException("the request is not SigV4-signed");
    }

    /// <summary>Reads <c>{"RequestItems":{"&lt;table&gt;":[{"PutRequest":{"Item":{..}}},..]}}</c>, keeping each item by its key.</summary>
    private void StorePuts(ReadOnlySpan<byte> body, Dictionary<string, byte[]> items)
    {
        var reader = new Utf8JsonReader(body);
        reader.Read();
        Expect(ref reader, JsonTokenType.StartObject);
        reader.Read();
        Expect(ref reader, JsonTokenType.PropertyName);
        if (!reader.ValueTextEquals("RequestItems"u8)) throw new InvalidOperationException("the body does not start with RequestItems");
        reader.Read();
        Expect(ref reader, JsonTokenType.StartObject);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!reader.ValueTextEquals(tableName)) throw new InvalidOperationException($"Requested resource not found: Table: {reader.GetString()} not found");
            reader.Read();
            Expect(ref reader, JsonTokenType.StartArray);
            var puts = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                if (++puts > 25) throw new InvalidOperationException("BatchWriteItem carries more than 25 requests");
                reader.Read();
                if (!reader.ValueTextEquals("PutRequest"u8)) throw new InvalidOperationException("expected a PutRequest");
                reader.Read();
                reader.Read();
                if (!reader.ValueTextEquals("Item"u8)) throw new InvalidOperationException("expected a PutRequest's Item");
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                var key = KeyOf(ref reader);
                items[key] = body[start..(int)reader.BytesConsumed].ToArray();
                reader.Read(); // end of PutRequest
                reader.Read(); // end of the request
            }
        }
    }

    /// <summary>On an item's <c>{</c>: reads it to its <c>}</c> and returns its <c>review_id</c> string.</summary>
    private static string KeyOf(ref Utf8JsonReader reader)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        string? key = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isKey = reader.ValueTextEquals("review_id"u8);
            reader.Read();
            if (isKey)
            {
                reader.Read();
                if (!reader.ValueTextEquals("S"u8)) throw new InvalidOperationException("review_id is not a string attribute");
                reader.Read();
                key = reader.GetString();
                reader.Read();
            }
            else
            {
                reader.Skip();
            }
        }
        return key ?? throw new InvalidOperationException("One of the required keys was not given a value (review_id)");
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type) throw new InvalidOperationException($"malformed BatchWriteItem body: expected {type}, found {reader.TokenType}");
    }
}

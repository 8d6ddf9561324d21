using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using Pipelines.Orders.Cdc.Publishing;
using Pipelines.Shared.Aws;

namespace Pipelines.Cli.Bench.Sinks;

/// <summary>
/// orders-cdc-publisher's PutRecords sink, in memory. The shared KinesisClient sends through a process-wide HttpClient
/// that cannot be swapped, so this does what it does up to the socket: the PutRecords JSON body (base64 data,
/// partition keys), the request message and its SigV4 signature. Every entry is acknowledged.
/// </summary>
internal sealed class InMemoryKinesisSink(string streamName) : IRecordBatchSink, IDisposable
{
    private static readonly AwsCredentials Credentials = new("bench", "bench");
    private static readonly Uri Endpoint = new("https://kinesis.us-east-1.amazonaws.com/");
    private static readonly MediaTypeHeaderValue ContentType = new("application/x-amz-json-1.1");

    private readonly ArrayBufferWriter<byte> _body = new(256 * 1024);
    private readonly Utf8JsonWriter _writer = new(Stream.Null);
    private readonly Dictionary<int, string?[]> _acks = [];

    public long Calls { get; private set; }

    public long EntriesPut { get; private set; }

    public long BodyBytes { get; private set; }

    public void Dispose() => _writer.Dispose();

    public void Reset()
    {
        Calls = 0;
        EntriesPut = 0;
        BodyBytes = 0;
    }

    public Task<IReadOnlyList<string?>> PutAsync(IReadOnlyList<OutgoingRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count > 500) throw new InvalidOperationException($"PutRecords carries {records.Count} entries; the limit is 500");
        _body.ResetWrittenCount();
        _writer.Reset(_body);
        _writer.WriteStartObject();
        _writer.WriteString("StreamName"u8, streamName);
        _writer.WriteStartArray("Records"u8);
        foreach (var r in records)
        {
            _writer.WriteStartObject();
            _writer.WriteBase64String("Data"u8, r.Data.Span);
            _writer.WriteString("PartitionKey"u8, r.PartitionKey);
            _writer.WriteEndObject();
        }
        _writer.WriteEndArray();
        _writer.WriteEndObject();
        _writer.Flush();
        if (_body.WrittenCount > 5 * 1024 * 1024) throw new InvalidOperationException($"PutRecords body of {_body.WrittenCount} bytes exceeds 5 MB");

        // The message the shared AwsJsonClient builds and signs for every call.
        var body = _body.WrittenSpan.ToArray();
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = ContentType;
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "Kinesis_20131202.PutRecords");
        SigV4Signer.SignHttpRequest(request, body, Credentials, "us-east-1", "kinesis", DateTimeOffset.UtcNow);

        Calls++;
        EntriesPut += records.Count;
        BodyBytes += body.Length;
        return Task.FromResult<IReadOnlyList<string?>>(Acknowledged(records.Count));
    }

    /// <summary>All-null error codes (every entry written), cached per size.</summary>
    private string?[] Acknowledged(int count)
    {
        using var sink = SinkAllocations.Measure();
        if (!_acks.TryGetValue(count, out var acks)) _acks[count] = acks = new string?[count];
        return acks;
    }
}

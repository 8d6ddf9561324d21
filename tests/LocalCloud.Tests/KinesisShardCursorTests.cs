using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using Pipelines.LocalCloud.EventSources;
using Pipelines.Shared.Aws;

namespace Pipelines.Tests.LocalCloud;

/// <summary>
/// The Kinesis shard cursor against a scripted Kinesis: after an empty read it reads the same iterator again instead of
/// the one the empty read returned. kinesalite's next iterator after an empty read starts at the current second, and a
/// stream's first record, written while that read ran, could sort before it and never be delivered.
/// </summary>
[TestFixture]
[CancelAfter(30_000)]
public sealed class KinesisShardCursorTests
{
    [Test]
    public async Task An_empty_read_does_not_move_the_cursor_past_a_record_written_meanwhile(CancellationToken ct)
    {
        await using var kinesis = await ScriptedKinesis.StartAsync();
        // it-1 is empty the first time and holds the record the second time; it-2 (what the empty read offered) never will.
        kinesis.Answer("it-1", """{"Records":[],"NextShardIterator":"it-2","MillisBehindLatest":0}""");
        kinesis.Answer("it-1", """{"Records":[{"SequenceNumber":"1","PartitionKey":"k","Data":"QQ==","ApproximateArrivalTimestamp":1545084650.987}],"NextShardIterator":"it-3","MillisBehindLatest":0}""");
        kinesis.Answer("it-2", """{"Records":[],"NextShardIterator":"it-2","MillisBehindLatest":0}""");
        kinesis.Answer("it-3", """{"Records":[],"NextShardIterator":"it-3","MillisBehindLatest":0}""");
        var source = new KinesisShardSource(kinesis.Client, "reviews", "review-ingestion-processor");
        var cursor = await source.OpenAsync("shardId-000000000000", "TRIM_HORIZON", null, ct);

        (await cursor.ReadAsync(100, ct)).Should().BeEmpty();
        var second = await cursor.ReadAsync(100, ct);
        var third = await cursor.ReadAsync(100, ct);

        second.Select(r => r.SequenceNumber).Should().Equal("1");
        third.Should().BeEmpty();
        kinesis.Iterators.Should().Equal("it-1", "it-1", "it-3");
    }

    /// <summary>GetShardIterator gives "it-1"; GetRecords answers per iterator from a script (the last answer repeats).</summary>
    private sealed class ScriptedKinesis : IAsyncDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentDictionary<string, Queue<string>> _answers = new(StringComparer.Ordinal);
        private readonly Task _serving;

        private ScriptedKinesis(int port)
        {
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            Client = new KinesisClient(AwsClientOptions.Create(AwsService.Kinesis, new Uri($"http://127.0.0.1:{port}/"), "us-east-1", new AwsCredentials("AKIDEXAMPLE", "secret")));
            _serving = Task.Run(ServeAsync);
        }

        public KinesisClient Client { get; }

        public ConcurrentQueue<string> Iterators { get; } = new();

        public static Task<ScriptedKinesis> StartAsync()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return Task.FromResult(new ScriptedKinesis(port));
        }

        public void Answer(string iterator, string json) => _answers.GetOrAdd(iterator, _ => new Queue<string>()).Enqueue(json);

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }
                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                var body = JsonDocument.Parse(await reader.ReadToEndAsync()).RootElement;
                var answer = context.Request.Headers["X-Amz-Target"] switch
                {
                    "Kinesis_20131202.GetShardIterator" => """{"ShardIterator":"it-1"}""",
                    "Kinesis_20131202.GetRecords" => Next(body.GetProperty("ShardIterator").GetString()!),
                    var other => throw new InvalidOperationException($"unexpected {other}"),
                };
                var bytes = Encoding.UTF8.GetBytes(answer);
                context.Response.ContentType = "application/x-amz-json-1.1";
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
        }

        private string Next(string iterator)
        {
            Iterators.Enqueue(iterator);
            var script = _answers[iterator];
            return script.Count > 1 ? script.Dequeue() : script.Peek();
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            _listener.Close();
            await _serving;
        }
    }
}

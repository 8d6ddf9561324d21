using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Pipelines.LocalCloud.Http;
using Pipelines.Shared.Aws;

namespace Pipelines.Tests.OrdersCdcPublisher.Support;

/// <summary>
/// A loopback Kinesis that answers PutRecords like the real service, failing the entries a test picks
/// (per-entry ErrorCode) or the whole call, and keeping what was written in arrival order.
/// </summary>
internal sealed class FakeKinesis : IAsyncDisposable
{
    private readonly LoopbackHttpServer _server;
    private readonly Lock _gate = new();
    private readonly List<WrittenRecord> _written = [];
    private readonly List<int> _callSizes = [];

    /// <summary>An entry the stream stored: its partition key and CDC record JSON.</summary>
    public sealed record WrittenRecord(string PartitionKey, string Json)
    {
        public string SequenceNumber => JsonDocument.Parse(Json).RootElement.GetProperty("cdc_sequence_number").GetString()!;
    }

    /// <summary>Decides an entry's fate: null stores it, an error code fails it. Args: call number (0-based), entry JSON.</summary>
    public Func<int, string, string?> FailEntry { get; set; } = (_, _) => null;

    /// <summary>When it returns (status, type), the whole call fails with that AWS error. Arg: call number.</summary>
    public Func<int, (int Status, string Type)?> FailCall { get; set; } = _ => null;

    private FakeKinesis(LoopbackHttpServer server) => _server = server;

    public static async Task<FakeKinesis> StartAsync()
    {
        FakeKinesis? fake = null;
        var server = await LoopbackHttpServer.StartAsync(ctx => fake!.HandleAsync(ctx), 0, CancellationToken.None);
        fake = new FakeKinesis(server);
        return fake;
    }

    public KinesisClient Client() => new(AwsClientOptions.Create(
        AwsService.Kinesis, _server.Endpoint, "us-east-1", new AwsCredentials("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")) with
        {
            Retry = new Pipelines.Shared.Resilience.RetryOptions { MaxAttempts = 1 },
        });

    public IReadOnlyList<WrittenRecord> Written { get { lock (_gate) return [.. _written]; } }

    /// <summary>Entries per PutRecords call, in call order.</summary>
    public IReadOnlyList<int> CallSizes { get { lock (_gate) return [.. _callSizes]; } }

    private async Task HandleAsync(HttpContext ctx)
    {
        if (AwsJsonResponses.Operation(ctx.Request) != "PutRecords")
        {
            await AwsJsonResponses.WriteErrorAsync(ctx, "UnknownOperationException", "only PutRecords here");
            return;
        }
        var body = await JsonNode.ParseAsync(ctx.Request.Body);
        var entries = body!["Records"]!.AsArray();
        int call;
        lock (_gate)
        {
            call = _callSizes.Count;
            _callSizes.Add(entries.Count);
        }
        if (FailCall(call) is { } fail)
        {
            await AwsJsonResponses.WriteErrorAsync(ctx, fail.Type, "failed by the test", fail.Status);
            return;
        }

        var results = new JsonArray();
        var failed = 0;
        foreach (var entry in entries)
        {
            var json = Encoding.UTF8.GetString(Convert.FromBase64String(entry!["Data"]!.GetValue<string>()));
            var key = entry["PartitionKey"]!.GetValue<string>();
            if (FailEntry(call, json) is { } code)
            {
                failed++;
                results.Add(new JsonObject { ["ErrorCode"] = code, ["ErrorMessage"] = code == "InternalFailure" ? "Internal service failure." : "Rate exceeded for shard shardId-000000000000 in stream kinesis-for-sales-data under account 123456789012." });
                continue;
            }
            int n;
            lock (_gate)
            {
                _written.Add(new WrittenRecord(key, json));
                n = _written.Count;
            }
            results.Add(new JsonObject { ["SequenceNumber"] = $"4954698668313554428650745793632162567570019247{n:D10}", ["ShardId"] = "shardId-000000000000" });
        }
        await AwsJsonResponses.WriteAsync(ctx, new JsonObject { ["FailedRecordCount"] = failed, ["Records"] = results }.ToJsonString());
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
